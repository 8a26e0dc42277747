using System.Collections.Concurrent;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Fingerprints.Tests;

/// <summary>The "words" tokenizer numbers words in a vocabulary shared by concurrent batches.</summary>
public class WordTokenConcurrencyTests
{
    // Mostly words seen once, so that most lookups add to the vocabulary at the same time on every thread.
    private static ModelOutput[] Corpus(int outputs, int wordsPerOutput, int seed)
    {
        var random = new Random(seed);
        var result = new ModelOutput[outputs];
        for (int i = 0; i < outputs; i++)
        {
            var words = new string[wordsPerOutput];
            for (int w = 0; w < wordsPerOutput; w++)
            {
                words[w] = random.Next(4) == 0 ? $"common{random.Next(50)}" : $"w{i}x{w}y{random.Next(1000)}";
            }

            result[i] = new ModelOutput("m", i.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(' ', words) + ".");
        }

        return result;
    }

    private static (string Word, int Id)[][] Tokenise(ModelOutput[] corpus, int threads, int k)
    {
        var source = new WordTokenSource();
        var ids = new int[corpus.Length][];
        Parallel.For(0, corpus.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => ids[i] = source.FirstTokens(corpus[i], k));
        return [.. corpus.Select((o, i) =>
        {
            string[] words = [.. o.Output.TrimEnd('.').Split(' ').Select(w => w.ToLowerInvariant()), "."];
            Assert.Equal(Math.Min(k, words.Length), ids[i].Length);
            return words.Take(ids[i].Length).Zip(ids[i]).ToArray();
        })];
    }

    [Fact]
    public void ManyThreads_GiveDistinctWordsDistinctIds_AndAgreeWithOneThread()
    {
        const int K = 40;
        for (int repetition = 0; repetition < 4; repetition++)
        {
            var corpus = Corpus(4000, 40, repetition);
            var single = Tokenise(corpus, 1, K);
            var parallel = Tokenise(corpus, 16, K);

            // Ids are a bijection with words within one computation: equal ids exactly when equal words.
            foreach (var run in new[] { single, parallel })
            {
                var wordOf = new Dictionary<int, string>();
                var idOf = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (word, id) in run.SelectMany(x => x))
                {
                    Assert.True(wordOf.TryAdd(id, word) || wordOf[id] == word, $"Repetition {repetition}: '{wordOf.GetValueOrDefault(id)}' and '{word}' share id {id}.");
                    Assert.True(idOf.TryAdd(word, id) || idOf[word] == id, $"Repetition {repetition}: '{word}' has two ids.");
                }
            }

            // What the distances read is which positions agree; that must not depend on the thread count.
            for (int i = 1; i < corpus.Length; i++)
            {
                for (int p = 0; p < K; p++)
                {
                    bool agreeSingle = single[i][p].Id == single[i - 1][p].Id;
                    bool agreeParallel = parallel[i][p].Id == parallel[i - 1][p].Id;
                    Assert.Equal(agreeSingle, agreeParallel);
                }
            }
        }
    }

    [Fact]
    public async Task Provider_WithWords_MatchesDistancesComputedOnTheWordsThemselves()
    {
        // Many models and prompts, so that the provider fingerprints several batches concurrently.
        const int K = 16, Models = 8, Prompts = 500;
        var random = new Random(7);
        var outputs = new List<ModelOutput>();
        var text = new Dictionary<(string Model, string Prompt), string[]>();
        for (int m = 0; m < Models; m++)
        {
            for (int p = 0; p < Prompts; p++)
            {
                // Words shared across models on the same prompt (so distances are not all 1) and many new words.
                string[] words = [.. Enumerable.Range(0, K).Select(w => random.Next(3) == 0 ? $"p{p}w{w}" : $"m{m}p{p}w{w}r{random.Next(100000)}")];
                string model = m == 0 ? "target" : $"c{m}";
                string prompt = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
                text[(model, prompt)] = words;
                outputs.Add(new ModelOutput(model, prompt, string.Join(' ', words)));
            }
        }

        var provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = TokenizerKind.Words, Length = K });
        for (int repetition = 0; repetition < 2; repetition++)
        {
            var matrix = (await provider.ComputeAsync(outputs, new DistanceRequest { Target = "target" })).Matrix;
            for (int i = 0; i < matrix.CandidateCount; i++)
            {
                for (int t = 0; t < matrix.PromptCount; t++)
                {
                    var a = text[("target", matrix.PromptIds[t])];
                    var b = text[(matrix.CandidateNames[i], matrix.PromptIds[t])];
                    double expected = (double)a.Zip(b).Count(x => x.First != x.Second) / K;
                    Assert.Equal(expected, matrix[i, t]);
                }
            }

            provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = TokenizerKind.Words, Length = K });
        }
    }
}
