using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using ProvenanceSet.Data;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Fingerprints.Tokens;

/// <summary>Produces the first K token ids of an output.</summary>
internal interface ITokenSource
{
    string Name { get; }

    int[] FirstTokens(ModelOutput output, int k);
}

/// <summary>A BPE tokenizer from Microsoft.ML.Tokenizers; tokenization stops after K tokens.</summary>
internal sealed class BpeTokenSource(string name, Tokenizer tokenizer) : ITokenSource
{
    private static readonly Lazy<BpeTokenSource> LazyCl100k = new(() => new("cl100k", TiktokenTokenizer.CreateForEncoding("cl100k_base")));
    private static readonly Lazy<BpeTokenSource> LazyO200k = new(() => new("o200k", TiktokenTokenizer.CreateForEncoding("o200k_base")));
    private static readonly Lazy<BpeTokenSource> LazyGpt2 = new(() => new("gpt2", TiktokenTokenizer.CreateForModel("gpt2")));

    public static BpeTokenSource Cl100k => LazyCl100k.Value;

    public static BpeTokenSource O200k => LazyO200k.Value;

    public static BpeTokenSource Gpt2 => LazyGpt2.Value;

    public string Name => name;

    public int[] FirstTokens(ModelOutput output, int k) => [.. tokenizer.EncodeToIds(output.Output, k, out _, out _)];
}

/// <summary>Lowercased words and punctuation marks, numbered by a vocabulary shared by all outputs of one computation.</summary>
/// <remarks>
/// Batches are tokenised concurrently, so a word's number depends on which batch met it first;
/// the distances only ask whether two tokens are equal, which is the same under any numbering
/// that gives distinct words distinct numbers. A hash of the word would not depend on the order,
/// but two words of a large vocabulary would then share a number now and then.
/// </remarks>
internal sealed partial class WordTokenSource : ITokenSource
{
    private readonly ConcurrentDictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private int _nextId = -1;

    public string Name => "words";

    public int[] FirstTokens(ModelOutput output, int k)
    {
        var ids = new List<int>(k);
        for (var match = Word().Match(output.Output); match.Success && ids.Count < k; match = match.NextMatch())
        {
            string word = match.Value.ToLowerInvariant();
            // The counter, not the vocabulary's count: two threads adding different words may see the same count.
            // A factory that loses a race only wastes a number; every caller gets the stored one.
            ids.Add(_vocabulary.TryGetValue(word, out int id) ? id : _vocabulary.GetOrAdd(word, _ => Interlocked.Increment(ref _nextId)));
        }

        return [.. ids];
    }

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex Word();
}

/// <summary>The producer's own token ids from the records.</summary>
internal sealed class ProducerTokenSource : ITokenSource
{
    public string Name => "producer";

    public int[] FirstTokens(ModelOutput output, int k)
    {
        var tokens = output.Tokens ?? throw new ProvenanceFormatException(output.SourceName ?? "outputs", output.LineNumber, 0,
            $"the record of model '{output.Model}' for prompt '{output.PromptId}' has no 'tokens' field, which the producer tokenizer needs.");
        return [.. tokens.Take(k)];
    }
}
