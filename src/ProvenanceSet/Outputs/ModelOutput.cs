namespace ProvenanceSet.Outputs;

/// <summary>One model's answer to one prompt: a record of the outputs JSON Lines format.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="PromptId">The prompt's id (shared by every model that answered it).</param>
/// <param name="Output">The answer text (may be empty).</param>
public sealed record ModelOutput(string Model, string PromptId, string Output)
{
    /// <summary>The prompt text, when the producer included it.</summary>
    public string? Prompt { get; init; }

    /// <summary>The producer's token ids for <see cref="Output"/>, when it included them.</summary>
    public IReadOnlyList<int>? Tokens { get; init; }

    /// <summary>Where the record came from (file name), for error messages; null for records built in code.</summary>
    public string? SourceName { get; init; }

    /// <summary>1-based line number in <see cref="SourceName"/>, or 0.</summary>
    public int LineNumber { get; init; }
}
