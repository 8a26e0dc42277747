namespace ProvenanceSet.Collection.Collecting;

/// <summary>Which request field carries <see cref="CollectionOptions.MaxOutputTokens"/> to an OpenAI-compatible endpoint.</summary>
/// <remarks>
/// OpenAI's own API calls the limit <c>max_completion_tokens</c> and refuses <c>max_tokens</c> for its
/// reasoning models; many compatible servers (Ollama, LM Studio, older vLLM and llama.cpp builds)
/// read only <c>max_tokens</c> and ignore the other field, which would leave answers unlimited.
/// </remarks>
public enum OpenAITokenLimitField
{
    /// <summary>Both fields with the same value (the default): every compatible server and OpenAI's non-reasoning models honour one of them.</summary>
    Both = 0,

    /// <summary><c>max_tokens</c> only.</summary>
    MaxTokens = 1,

    /// <summary><c>max_completion_tokens</c> only (OpenAI's reasoning models).</summary>
    MaxCompletionTokens = 2,
}
