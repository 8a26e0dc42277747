using System.Text;
using ProvenanceSet.Data;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Tests.Outputs;

public class ModelOutputReaderTests
{
    private static List<ModelOutput> Read(string text, string name = "o.jsonl") =>
        [.. ModelOutputReader.ReadJsonLines(new StringReader(text), name)];

    [Fact]
    public void ReadsRecords_WithOptionalFields_AndSkipsBlankLines()
    {
        var records = Read("{\"model\": \"a\", \"prompt_id\": \"1\", \"output\": \"Hi\"}\n\n   \n"
            + "{\"model\": \"b\", \"prompt_id\": \"1\", \"output\": \"\", \"prompt\": \"Say hi\", \"tokens\": [5, 7], \"extra\": 3}\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(new ModelOutput("a", "1", "Hi") { SourceName = "o.jsonl", LineNumber = 1 }, records[0]);
        Assert.Equal("", records[1].Output);
        Assert.Equal("Say hi", records[1].Prompt);
        Assert.Equal([5, 7], records[1].Tokens!);
        Assert.Equal(4, records[1].LineNumber);
    }

    [Theory]
    [InlineData("{\"model\": \"a\", \"prompt_id\": \"1\", \"output\": \"x\"", 1, "malformed JSON")]
    [InlineData("not json", 1, "malformed JSON")]
    [InlineData("[1, 2]", 0, "expected a JSON object, found an array")]
    [InlineData("{\"prompt_id\": \"1\", \"output\": \"x\"}", 0, "missing required field 'model'")]
    [InlineData("{\"model\": \"a\", \"output\": \"x\"}", 0, "missing required field 'prompt_id'")]
    [InlineData("{\"model\": \"a\", \"prompt_id\": \"1\"}", 0, "missing required field 'output'")]
    [InlineData("{\"model\": \"a\", \"prompt_id\": 17, \"output\": \"x\"}", 0, "'prompt_id' must be a string, found a number")]
    [InlineData("{\"model\": \"\", \"prompt_id\": \"1\", \"output\": \"x\"}", 0, "'model' is empty")]
    [InlineData("{\"model\": \"a\", \"prompt_id\": \"1\", \"output\": null}", 0, "'output' must be a string, found null")]
    [InlineData("{\"model\": \"a\", \"prompt_id\": \"1\", \"output\": \"x\", \"tokens\": [1, \"2\"]}", 0, "'tokens' item 2 is not an integer")]
    [InlineData("{\"model\": \"a\", \"prompt_id\": \"1\", \"output\": \"x\", \"tokens\": 5}", 0, "'tokens' must be an array")]
    [InlineData("{\"model\": \"a\", \"prompt_id\": \"1\", \"output\": \"x\", \"prompt\": 5}", 0, "'prompt' must be a string")]
    public void MalformedLines_NameFileAndLine(string badLine, int column, string phrase)
    {
        string text = "{\"model\": \"a\", \"prompt_id\": \"0\", \"output\": \"fine\"}\n\n" + badLine + "\n";
        var ex = Assert.Throws<ProvenanceFormatException>(() => Read(text, "outputs.jsonl"));
        Assert.Equal("outputs.jsonl", ex.FileName);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains(phrase, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("outputs.jsonl, line 3", ex.Message, StringComparison.Ordinal);
        if (column > 0)
        {
            Assert.True(ex.ColumnNumber > 0);
        }
    }

    [Fact]
    public void MalformedJson_GivesOnePosition_TheFilesLineAndCharacterColumn()
    {
        // "é" takes two UTF-8 bytes and the emoji four: the column counts characters, not the parser's bytes.
        string bad = "{\"model\": \"é😀\", bad}";
        string text = "{\"model\": \"a\", \"prompt_id\": \"0\", \"output\": \"fine\"}\n\n" + bad + "\n";
        var ex = Assert.Throws<ProvenanceFormatException>(() => Read(text, "outputs.jsonl"));
        Assert.Equal((3, 17), (ex.LineNumber, ex.ColumnNumber));
        Assert.StartsWith("outputs.jsonl, line 3, column 17: malformed JSON: 'b' is an invalid start of a property name.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Each line must be one JSON object such as {\"model\": \"my-model\", \"prompt_id\": \"p1\", \"output\": \"...\"}.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n   \n\n")]
    public void AFileWithoutRecords_IsAnErrorNamingIt_AndShowingARecord(string contents)
    {
        using var dir = new TempDirectory();
        string good = dir.Write("good.jsonl", "{\"model\": \"m\", \"prompt_id\": \"1\", \"output\": \"x\"}\n");
        string empty = dir.Write("empty.jsonl", contents);
        var ex = Assert.Throws<ProvenanceFormatException>(() => ModelOutputReader.ReadJsonLines([good, empty]).ToList());
        Assert.Equal(empty, ex.FileName);
        Assert.Equal(
            $"{empty}: the file has no records (it is empty or blank). Each line must be one JSON object such as {{\"model\": \"my-model\", \"prompt_id\": \"p1\", \"output\": \"...\"}}; 'mps collect' writes such files.",
            ex.Message);
    }

    [Fact]
    public void Duplicates_NameBothLines_AcrossFiles()
    {
        using var dir = new TempDirectory();
        string a = dir.Write("a.jsonl", "{\"model\": \"m\", \"prompt_id\": \"1\", \"output\": \"x\"}\n{\"model\": \"m\", \"prompt_id\": \"2\", \"output\": \"y\"}\n");
        string b = dir.Write("b.jsonl", "\n{\"model\": \"n\", \"prompt_id\": \"2\", \"output\": \"y\"}\n{\"model\": \"m\", \"prompt_id\": \"2\", \"output\": \"z\"}\n");
        var ex = Assert.Throws<ProvenanceFormatException>(() => ModelOutputReader.ReadJsonLines([a, b]).ToList());
        Assert.Equal(b, ex.FileName);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains($"model 'm', prompt '2' (first seen at {a}, line 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsReportedBeforeReading()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => ModelOutputReader.ReadJsonLines(["absent.jsonl"]));
        Assert.Contains("absent.jsonl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_StreamOneAtATime()
    {
        // A reader that counts how many lines were pulled: the first record must arrive after one line.
        var reader = new CountingReader(string.Concat(Enumerable.Range(0, 1000).Select(i => $"{{\"model\": \"m\", \"prompt_id\": \"{i}\", \"output\": \"x\"}}\n")));
        using var e = ModelOutputReader.ReadJsonLines(reader, "s").GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(1, reader.LinesRead);
        Assert.True(e.MoveNext());
        Assert.Equal(2, reader.LinesRead);
    }

    [Fact]
    public void HundredThousandLines_StreamWithoutHoldingTheText()
    {
        // 10^5 records of 2 000 characters (~200 MB of text as .NET strings): reading them must not
        // hold them. Managed memory is sampled every 10 000 records; the keys kept to refuse
        // duplicates (10^5 short strings, a few MB) are all that may grow.
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "big.jsonl");
        string filler = new('x', 2000);
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            for (int i = 0; i < 100_000; i++)
            {
                writer.Write($"{{\"model\": \"m{i % 7}\", \"prompt_id\": \"{i}\", \"output\": \"{filler}\"}}\n");
            }
        }

        long before = GC.GetTotalMemory(forceFullCollection: true), peak = 0, count = 0, characters = 0;
        foreach (var record in ModelOutputReader.ReadJsonLines([path]))
        {
            characters += record.Output.Length;
            if (++count % 10_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(100_000, count);
        Assert.Equal(200_000_000, characters);
        Assert.True(peak < 40_000_000, $"memory grew by {peak:N0} bytes while streaming");
    }

    private sealed class CountingReader(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public int LinesRead { get; private set; }

        public override string? ReadLine()
        {
            LinesRead++;
            return _inner.ReadLine();
        }
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mps-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
