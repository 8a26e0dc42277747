using System.Text.Json.Serialization;

namespace ProvenanceSet.Fingerprints.Tokens;

/// <summary>How token fingerprints are made and compared. Change a copy with <c>with</c>.</summary>
public sealed record TokenDistanceOptions
{
    /// <summary>The defaults: position-wise disagreement over the first 20 tokens, automatic tokenizer.</summary>
    public static TokenDistanceOptions Default { get; } = new();

    /// <summary>The distance between two token prefixes. Default <see cref="TokenDistanceKind.Disagreement"/>.</summary>
    public TokenDistanceKind Distance { get; init; } = TokenDistanceKind.Disagreement;

    /// <summary>K: how many leading tokens of each output are compared. Default 20 (ignored by <see cref="TokenDistanceKind.FirstTokenMismatch"/>, which uses 1).</summary>
    public int Length { get; init; } = 20;

    /// <summary>Where the tokens come from. Default <see cref="TokenizerKind.Auto"/>.</summary>
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Auto;
}

/// <summary>Distances between the first K tokens of two outputs a and b.</summary>
public enum TokenDistanceKind
{
    /// <summary>
    /// Share of the K positions where the tokens differ: d = #{k &lt; K : a_k ≠ b_k} / K, where a
    /// position past the end of one output but not the other counts as a difference and a position
    /// past the end of both as agreement. 0 for identical outputs, 1 when no position agrees.
    /// </summary>
    Disagreement = 0,

    /// <summary>Whether the first tokens differ (disagreement with K = 1): 0 or 1.</summary>
    [JsonStringEnumMemberName("first-token")]
    FirstTokenMismatch = 1,

    /// <summary>
    /// Levenshtein distance between the two K-token prefixes divided by the longer prefix's length
    /// (0 when both are empty). Unlike <see cref="Disagreement"/>, an inserted or deleted token
    /// shifts nothing.
    /// </summary>
    [JsonStringEnumMemberName("edit")]
    EditDistance = 2,
}

/// <summary>Where output tokens come from.</summary>
public enum TokenizerKind
{
    /// <summary>The producer's token ids when every needed record carries them, otherwise <see cref="Cl100k"/>.</summary>
    Auto = 0,

    /// <summary>OpenAI's cl100k_base BPE (GPT-3.5/GPT-4), via Microsoft.ML.Tokenizers.</summary>
    Cl100k = 1,

    /// <summary>OpenAI's o200k_base BPE (GPT-4o), via Microsoft.ML.Tokenizers.</summary>
    O200k = 2,

    /// <summary>The GPT-2 BPE, via Microsoft.ML.Tokenizers.</summary>
    Gpt2 = 3,

    /// <summary>Lowercased words and punctuation marks (regex <c>\w+|[^\w\s]</c>): no subwords, tokenizer-neutral.</summary>
    Words = 4,

    /// <summary>The <c>tokens</c> field of each record (an error when a record lacks it). Only comparable between models that share a tokenizer.</summary>
    Producer = 5,
}
