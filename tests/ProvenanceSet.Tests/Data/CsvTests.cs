namespace ModelProvenance.Tests.Data;

public class CsvTests
{
    private static DistanceMatrix Read(string text) => DistanceMatrix.ReadCsv(new StringReader(text), "m.csv");

    private static ProvenanceFormatException Bad(string text) =>
        Assert.Throws<ProvenanceFormatException>(() => Read(text));

    [Fact]
    public void ReadsTheWideLayout_AsCandidateRows()
    {
        var m = Read("prompt_id,zephyr,llama,\"qwen, 7b\"\n17,0.5,0.25,1\n\n18,1e-3,-2,3.5\r\n");
        Assert.Equal(["zephyr", "llama", "qwen, 7b"], m.CandidateNames);
        Assert.Equal(["17", "18"], m.PromptIds);
        Assert.Equal([0.5, 0.001], m.GetRow(0).ToArray());
        Assert.Equal([0.25, -2], m.GetRow(1).ToArray());
        Assert.Equal(3.5, m[2, 1]);
    }

    [Fact]
    public void WriteThenRead_RoundTripsBitForBit()
    {
        var original = TestData.Matrix(9, 4, 25);
        var writer = new StringWriter();
        original.WriteCsv(writer);
        var back = Read(writer.ToString());
        Assert.Equal(original.CandidateNames, back.CandidateNames);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(original.GetRow(i).ToArray(), back.GetRow(i).ToArray());
        }
    }

    [Theory]
    [InlineData("", 0, 0, "empty")]
    [InlineData("id,a,b\n1,2,3\n", 1, 1, "must start with 'prompt_id'")]
    [InlineData("prompt_id\n1\n", 1, 0, "no candidate columns")]
    [InlineData("prompt_id,a,a\n1,2,3\n", 1, 3, "duplicate candidate name 'a'")]
    [InlineData("prompt_id,a,b\n1,2,3\n2,4\n", 3, 0, "expected 3 fields")]
    [InlineData("prompt_id,a,b\n1,2,3\n2,4,5,6\n", 3, 0, "found 4")]
    [InlineData("prompt_id,a,b\n1,,3\n", 2, 2, "empty cell (candidate 'a', prompt '1')")]
    [InlineData("prompt_id,a,b\n1,2,NaN\n", 2, 3, "'NaN' is not a finite number (candidate 'b'")]
    [InlineData("prompt_id,a,b\n1,Infinity,2\n", 2, 2, "not a finite number")]
    [InlineData("prompt_id,a,b\n1,1e999,2\n", 2, 2, "not a finite number")]
    [InlineData("prompt_id,a,b\n1,2,abc\n", 2, 3, "'abc' is not a number")]
    [InlineData("prompt_id,a,b\n1,\"2,3\n", 2, 0, "unterminated")]
    [InlineData("prompt_id,a,b\n1,2,3\n1,4,5\n", 3, 1, "duplicate prompt_id '1' (also on line 2)")]
    [InlineData("prompt_id,a,b\n1,2,3\n,4,5\n", 3, 1, "empty prompt_id")]
    [InlineData("prompt_id,a,b\n1,\"2,5\",3\n", 2, 2, "'2,5' is not a number")]
    public void MalformedFiles_NameLineAndColumn(string text, int line, int column, string phrase)
    {
        var ex = Bad(text);
        Assert.Equal(line, ex.LineNumber);
        Assert.Equal(column, ex.ColumnNumber);
        Assert.Contains(phrase, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("m.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecimalCommaCultures_DoNotChangeParsing()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Assert.Equal(0.5, Read("prompt_id,a,b\n1,0.5,1\n")[0, 0]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => DistanceMatrix.ReadCsv("no-such-file.csv"));
        Assert.Contains("no-such-file.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupsFile_MapsPromptsToKeys()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "prompt_id,group\np1,doc-a\np2,doc-b\np3,doc-a\nunused,doc-z\n");
            Assert.Equal([0, 1, 0], PromptGrouping.ReadCsv(path, ["p1", "p2", "p3"]));
            var ex = Assert.Throws<ProvenanceFormatException>(() => PromptGrouping.ReadCsv(path, ["p1", "p4"]));
            Assert.Contains("prompt 'p4' has no group", ex.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "p1,a\np1,b\n");
            ex = Assert.Throws<ProvenanceFormatException>(() => PromptGrouping.ReadCsv(path, ["p1"]));
            Assert.Equal(2, ex.LineNumber);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
