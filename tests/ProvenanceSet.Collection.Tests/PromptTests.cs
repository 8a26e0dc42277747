using System.Security.Cryptography;
using System.Text;
using ProvenanceSet.Collection.Prompts;
using ProvenanceSet.Data;

namespace ProvenanceSet.Collection.Tests;

/// <summary>The built-in generators (pinned by golden values: a seed's prompts never change silently) and prompts files.</summary>
public class PromptTests
{
    [Fact]
    public void Golden_FirstPrompts_OfSeed1_Mixed()
    {
        var prompts = PromptGenerator.Generate(6, seed: 1);
        Assert.Equal(["p1", "p2", "p3", "p4", "p5", "p6"], prompts.Select(p => p.Id));
        Assert.Equal(
        [
            "Please help me with this. Compare fiction and non-fiction. Write for a general audience.",
            "Give four tips for studying for exams.",
            "For a school project: Write a short dialogue between a first-year student and an expert on credit scores. Do not use lists.",
            "Finish the sentence: For the third time that week, a young botanist translated the weather vane inside the abandoned factory, and then",
            "Every Tuesday, a street painter noticed a small green bottle behind the station. At first",
            "Write the next few sentences of this story: Every Tuesday, a stray cat studied a handful of seeds, because",
        ], prompts.Select(p => p.Text));
    }

    [Theory]
    [InlineData(PromptGeneratorKind.Mixed, 0UL, "3d88b09d71a8a5c3922d5a9959cbaa56e506ab934a6808ee6f42fb60ba14d8ce")]
    [InlineData(PromptGeneratorKind.Sentences, 42UL, "a440cdecac11b1f0a2ddbcf1ac79cc5f0254c38cdd409392903ff50c2d948d87")]
    [InlineData(PromptGeneratorKind.Instructions, 12345678901234567890UL, "71c1557be1be15f8719ff92c0eecff8c1724fb96788d7ec0f0567b1b1638c535")]
    public void Golden_Hash_Of2000Prompts(PromptGeneratorKind kind, ulong seed, string sha256)
    {
        string jsonl = PromptFile.ToJsonLines(PromptGenerator.Generate(2000, seed, kind));
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jsonl))));
    }

    [Theory]
    // Golden values from an independent Python implementation: SplitMix64 started at
    // Mix(Mix(seed) ^ (stream * 0xD1B54A32D192ED03)) ^ 0x5851F42D4C957F2D.
    [InlineData(1UL, 0UL, 0xacb0c73a75ee5437UL, 0x608e496fb2001ea6UL, 0x630fc93bcc8bacbcUL)]
    [InlineData(7UL, 3UL, 0x80c43bdd0595983cUL, 0xaaa746fdd63d57c8UL, 0x324aa358d8645b85UL)]
    [InlineData(ulong.MaxValue, 123456UL, 0xf70105976ac6ea05UL, 0x2c15d2bb84396789UL, 0x7ec08530ee3e4e68UL)]
    public void PromptRandom_IsTheSplitMix64Stream_OfItsSeedAndIndex(ulong seed, ulong stream, ulong first, ulong second, ulong third)
    {
        var random = new PromptRandom(seed, stream);
        Assert.Equal([first, second, third], new[] { random.NextUInt64(), random.NextUInt64(), random.NextUInt64() });
    }

    [Fact]
    public void PromptK_DoesNotDependOnTheCount_AndSeedsDiffer()
    {
        var many = PromptGenerator.Generate(300, seed: 9);
        var few = PromptGenerator.Generate(40, seed: 9);
        Assert.Equal(few, many.Take(40));
        Assert.NotEqual(few.Select(p => p.Text), PromptGenerator.Generate(40, seed: 10).Select(p => p.Text));
    }

    [Theory]
    [InlineData(PromptGeneratorKind.Mixed)]
    [InlineData(PromptGeneratorKind.Sentences)]
    [InlineData(PromptGeneratorKind.Instructions)]
    public void Texts_AreDistinct_AndOfTheirKind(PromptGeneratorKind kind)
    {
        var prompts = PromptGenerator.Generate(20_000, seed: 3, kind);
        Assert.Equal(prompts.Count, prompts.Select(p => p.Text).Distinct().Count());
        Assert.Equal(prompts.Count, prompts.Select(p => p.Id).Distinct().Count());
        Assert.All(prompts, p => Assert.False(string.IsNullOrWhiteSpace(p.Text)));
        Assert.All(prompts, p => Assert.DoesNotContain("{", p.Text, StringComparison.Ordinal));
        int sentences = prompts.Count(p => PromptWords.Openings.Any(o => p.Text.Contains(o, StringComparison.Ordinal)));
        switch (kind)
        {
            case PromptGeneratorKind.Sentences:
                Assert.Equal(prompts.Count, sentences);
                break;
            case PromptGeneratorKind.Instructions:
                Assert.Equal(0, sentences);
                break;
            default:
                Assert.InRange(sentences, 9_500, 10_500);
                break;
        }
    }

    [Fact]
    public void Count_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptGenerator.Generate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptGenerator.Generate(PromptGenerator.MaxCount + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptGenerator.Generate(5, kind: (PromptGeneratorKind)7));
    }

    [Fact]
    public void File_RoundTrips_Unicode_Quotes_AndNewlines()
    {
        using var dir = new TempFolder();
        PromptRecord[] prompts = [new("a", "Ünïcödé \"quoted\" — 日本語"), new("b", "two\nlines\r\nand a tab\t"), new("17", "plain")];
        string path = dir.Combine("p.jsonl");
        PromptFile.Write(path, prompts);
        Assert.Equal(3, File.ReadAllLines(path).Length);
        Assert.Equal(prompts, PromptFile.Read(path));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }

    [Fact]
    public void File_AcceptsIntegerIds_BlankLines_AndExtraFields()
    {
        using var dir = new TempFolder();
        string path = dir.File("p.jsonl", "{\"prompt_id\": 17, \"prompt\": \"x\", \"source\": \"mine\"}\n\n{\"prompt_id\": \"q2\", \"prompt\": \"y\"}\n");
        Assert.Equal([new PromptRecord("17", "x"), new PromptRecord("q2", "y")], PromptFile.Read(path));
    }

    [Theory]
    [InlineData("{\"prompt_id\": \"1\", \"prompt\": \"x\"}\n{\"prompt_id\": \"2\", \"prompt\": \"y\"\n", "p.jsonl, line 2, column", "malformed JSON")]
    [InlineData("{\"prompt_id\": \"1\"}\n", "p.jsonl, line 1:", "missing required field 'prompt'")]
    [InlineData("{\"prompt\": \"x\"}\n", "p.jsonl, line 1:", "missing required field 'prompt_id'")]
    [InlineData("{\"prompt_id\": \"1\", \"prompt\": \"  \"}\n", "p.jsonl, line 1:", "'prompt' is empty")]
    [InlineData("{\"prompt_id\": \"1\", \"prompt\": 5}\n", "p.jsonl, line 1:", "'prompt' must be a string")]
    [InlineData("{\"prompt_id\": true, \"prompt\": \"x\"}\n", "p.jsonl, line 1:", "'prompt_id' must be a string or an integer")]
    [InlineData("{\"prompt_id\": \"1\", \"prompt\": \"x\"}\n\n{\"prompt_id\": \"1\", \"prompt\": \"y\"}\n", "p.jsonl, line 3:", "prompt_id '1' repeats line 1")]
    [InlineData("[1, 2]\n", "p.jsonl, line 1:", "expected a JSON object")]
    [InlineData("\n\n", "p.jsonl:", "no prompts in the file")]
    public void File_Errors_NameFileAndLine(string contents, string where, string what)
    {
        using var dir = new TempFolder();
        string path = dir.File("p.jsonl", contents);
        var ex = Assert.Throws<ProvenanceFormatException>(() => PromptFile.Read(path));
        Assert.StartsWith(path.Replace("p.jsonl", string.Empty, StringComparison.Ordinal) + where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainText_OnePromptPerLine()
    {
        using var dir = new TempFolder();
        string path = dir.File("p.txt", "What is rain?\n\n  Name three rivers.  \n");
        Assert.Equal([new PromptRecord("p1", "What is rain?"), new PromptRecord("p2", "Name three rivers.")], PromptFile.ReadPlainText(path));
        Assert.Throws<FileNotFoundException>(() => PromptFile.ReadPlainText(dir.Combine("absent.txt")));
    }

    [Fact]
    public void PlainText_TellsWhichLinesWereBlank()
    {
        using var dir = new TempFolder();
        string path = dir.File("p.txt", "\nWhat is rain?\n \t \nName three rivers.\n\n");
        var prompts = PromptFile.ReadPlainText(path, out var blank);
        Assert.Equal([new PromptRecord("p1", "What is rain?"), new PromptRecord("p2", "Name three rivers.")], prompts);
        Assert.Equal([1, 3, 5], blank);
    }
}
