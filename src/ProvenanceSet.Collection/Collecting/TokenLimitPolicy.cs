using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace ProvenanceSet.Collection.Collecting;

/// <summary>Rewrites the chat request's token limit into the field(s) the endpoint reads (see <see cref="OpenAITokenLimitField"/>).</summary>
internal sealed class TokenLimitPolicy(OpenAITokenLimitField field) : PipelinePolicy
{
    private const string Completion = "max_completion_tokens";
    private const string Legacy = "max_tokens";

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Rewrite(PipelineMessage message)
    {
        if (field == OpenAITokenLimitField.MaxCompletionTokens || message.Request.Content is not { } content)
        {
            return;
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer, message.CancellationToken);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body || body[Completion] is not { } limit)
        {
            return;
        }

        body[Legacy] = limit.DeepClone();
        if (field == OpenAITokenLimitField.MaxTokens)
        {
            body.Remove(Completion);
        }

        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }
}
