using ProvenanceSet.Data;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Fingerprints.Tests;

public class TokenDistanceTests
{
    [Theory]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 2, 3 }, 3, 0.0)]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 9, 3 }, 3, 1.0 / 3)]
    [InlineData(new[] { 1, 2, 3, 4 }, new[] { 9, 2, 3, 4 }, 2, 0.5)]     // only the first K = 2 positions count
    [InlineData(new[] { 1, 2 }, new[] { 1, 2, 3, 4 }, 4, 0.5)]           // positions past one end differ
    [InlineData(new[] { 1, 2 }, new[] { 1, 2 }, 20, 0.0)]                // past both ends agree
    [InlineData(new int[0], new int[0], 5, 0.0)]
    [InlineData(new int[0], new[] { 7 }, 5, 0.2)]
    [InlineData(new[] { 1, 2, 3 }, new[] { 2, 3, 1 }, 3, 1.0)]
    public void Disagreement_KnownAnswers(int[] a, int[] b, int k, double expected)
    {
        Assert.Equal(expected, TokenDistances.Disagreement(a, b, k), 15);
        Assert.Equal(expected, TokenDistances.Disagreement(b, a, k), 15);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 2, 3 }, 10, 0.0)]
    [InlineData(new[] { 1, 2, 3, 4 }, new[] { 2, 3, 4 }, 10, 0.25)]       // one deletion; disagreement would be 1
    [InlineData(new[] { 1, 2, 3 }, new[] { 4, 5, 6 }, 10, 1.0)]
    [InlineData(new int[0], new int[0], 10, 0.0)]
    [InlineData(new int[0], new[] { 1, 2 }, 10, 1.0)]
    [InlineData(new[] { 1, 2, 3, 4, 5 }, new[] { 1, 2, 3, 9, 9 }, 3, 0.0)] // beyond K nothing counts
    [InlineData(new[] { 11, 9, 20, 20, 5, 14 }, new[] { 19, 9, 20, 20, 9, 14, 7 }, 10, 3.0 / 7)] // kitten → sitting
    public void EditDistance_KnownAnswers(int[] a, int[] b, int k, double expected)
    {
        Assert.Equal(expected, TokenDistances.NormalizedEditDistance(a, b, k), 15);
        Assert.Equal(expected, TokenDistances.NormalizedEditDistance(b, a, k), 15);
    }

    [Fact]
    public void Disagreement_BadK_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenDistances.Disagreement([1], [1], 0));

    [Theory]
    // Published token ids of "Hello world" for each encoding.
    [InlineData(TokenizerKind.Cl100k, new[] { 9906, 1917 })]
    [InlineData(TokenizerKind.O200k, new[] { 13225, 2375 })]
    [InlineData(TokenizerKind.Gpt2, new[] { 15496, 995 })]
    public void RealTokenizers_GiveTheirPublishedIds(TokenizerKind kind, int[] expected)
    {
        var source = kind switch
        {
            TokenizerKind.Cl100k => BpeTokenSource.Cl100k,
            TokenizerKind.O200k => BpeTokenSource.O200k,
            _ => BpeTokenSource.Gpt2,
        };
        Assert.Equal(expected, source.FirstTokens(new ModelOutput("m", "p", "Hello world"), 20));
        Assert.Equal(expected[..1], source.FirstTokens(new ModelOutput("m", "p", "Hello world"), 1));
    }

    [Fact]
    public void Words_AreLowercasedWordsAndPunctuation()
    {
        var words = new WordTokenSource();
        int[] a = words.FirstTokens(new ModelOutput("m", "p", "Sure! Here is the recipe."), 20);
        int[] b = words.FirstTokens(new ModelOutput("m", "q", "sure ! here IS the recipe ."), 20);
        Assert.Equal(7, a.Length);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Provider_OnRealText_ComputesTheDocumentedDistances()
    {
        // The target and candidate "near" share the opening; "far" answers differently.
        ModelOutput[] outputs =
        [
            new("target", "1", "Sure! Here is a simple recipe for banana bread that you can make at home."),
            new("near", "1", "Sure! Here is a simple recipe for banana bread that anyone can bake."),
            new("far", "1", "Banana bread needs ripe bananas, flour and sugar."),
            new("target", "2", "The capital of France is Paris."),
            new("near", "2", "The capital of France is Paris, a city on the Seine."),
            new("far", "2", "Paris."),
        ];
        var provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = TokenizerKind.Cl100k, Length = 8 });
        var result = await provider.ComputeAsync(outputs, new DistanceRequest { Target = "target" });
        var m = result.Matrix;
        Assert.Equal(["near", "far"], m.CandidateNames);
        Assert.Equal(["1", "2"], m.PromptIds);
        Assert.Equal("target", m.TargetName);
        var cl100k = BpeTokenSource.Cl100k;
        for (int t = 0; t < 2; t++)
        {
            int[] target = cl100k.FirstTokens(outputs[3 * t], 8);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(TokenDistances.Disagreement(target, cl100k.FirstTokens(outputs[(3 * t) + 1 + i], 8), 8), m[i, t]);
            }
        }

        Assert.Equal(0.0, m[0, 0]);   // identical first 8 tokens
        Assert.True(m[1, 0] > 0.5);
        Assert.Equal("token-disagreement@8/cl100k", provider.Name);
    }

    [Fact]
    public async Task Auto_UsesProducerIds_WhenEveryRecordCarriesThem()
    {
        ModelOutput[] outputs =
        [
            new("t", "1", "ignored") { Tokens = [1, 2, 3, 4] },
            new("a", "1", "ignored") { Tokens = [1, 2, 0, 0] },
            new("b", "1", "ignored") { Tokens = [9, 9, 9, 9] },
            new("t", "2", "ignored") { Tokens = [5] },
            new("a", "2", "ignored") { Tokens = [5] },
            new("b", "2", "ignored") { Tokens = [] },
        ];
        var provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Length = 4 });
        var m = (await provider.ComputeAsync(outputs, new DistanceRequest { Target = "t" })).Matrix;
        Assert.Equal("producer", provider.TokenizerName);
        Assert.Equal([0.5, 0.0], m.GetRow(0).ToArray());
        Assert.Equal([1.0, 0.25], m.GetRow(1).ToArray());
    }

    [Fact]
    public async Task ProducerTokenizer_WithoutTokens_NamesTheRecord()
    {
        ModelOutput[] outputs =
        [
            new("t", "1", "x") { Tokens = [1] },
            new("a", "1", "x") { Tokens = [1], SourceName = "f.jsonl", LineNumber = 2 },
            new("b", "1", "x") { SourceName = "f.jsonl", LineNumber = 3 },
            new("t", "2", "x") { Tokens = [1] },
            new("a", "2", "x") { Tokens = [1] },
            new("b", "2", "x") { Tokens = [1] },
        ];
        var provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = TokenizerKind.Producer });
        var ex = await Assert.ThrowsAsync<ProvenanceFormatException>(() => provider.ComputeAsync(outputs, new DistanceRequest { Target = "t" }));
        Assert.Contains("f.jsonl, line 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no 'tokens' field", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstTokenMismatch_AndEditDistance_ThroughTheProvider()
    {
        ModelOutput[] outputs =
        [
            new("t", "1", "a") { Tokens = [1, 2, 3, 4] },
            new("x", "1", "a") { Tokens = [2, 3, 4] },
            new("y", "1", "a") { Tokens = [1, 9, 9, 9] },
            new("t", "2", "a") { Tokens = [4] },
            new("x", "2", "a") { Tokens = [4] },
            new("y", "2", "a") { Tokens = [5] },
        ];
        var first = new TokenDistanceProvider(TokenDistanceOptions.Default with { Distance = TokenDistanceKind.FirstTokenMismatch });
        var m = (await first.ComputeAsync(outputs, new DistanceRequest { Target = "t" })).Matrix;
        Assert.Equal([1.0, 0.0], m.GetRow(0).ToArray());
        Assert.Equal([0.0, 1.0], m.GetRow(1).ToArray());
        var edit = new TokenDistanceProvider(TokenDistanceOptions.Default with { Distance = TokenDistanceKind.EditDistance, Length = 4 });
        m = (await edit.ComputeAsync(outputs, new DistanceRequest { Target = "t" })).Matrix;
        Assert.Equal(0.25, m[0, 0]);
        Assert.Equal(0.75, m[1, 0]);
        Assert.Equal("token-edit@4/producer", edit.Name);
    }
}
