using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Data;

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
    [InlineData("prompt_id,a,b\n1,\"2,3\n", 2, 2, "unterminated")]
    [InlineData("prompt_id,a,b\n1,2,3\n\"x\ny\",4,\"5\n6\"\n", 3, 3, "'5\n6' is not a number")]  // the record starts on line 3
    [InlineData("prompt_id,\"a\r\nb\",c\n\"p\nq\",1,2\n2,3,x\n", 5, 3, "'x' is not a number (candidate 'c', prompt '2')")]
    [InlineData("prompt_id,a,b\n1,2,3\n2,\"3\n4,5\n", 3, 2, "unterminated")]
    [InlineData("prompt_id,a,b\n", 1, 0, "header but no rows")]
    [InlineData("\nprompt_id,a,b\n\n", 2, 0, "header but no rows")]
    [InlineData("prompt_id,a,\" \"\n1,2,3\n", 1, 3, "empty candidate name")]
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

    /// <summary>A reader that only reads (its Peek says -1, as TextReader's default does).</summary>
    private sealed class ReadOnlyReader(string text) : TextReader
    {
        private int _position;

        public override int Read() => _position < text.Length ? text[_position++] : -1;
    }

    [Fact]
    public void AReaderWithoutPeek_IsReadCompletely()
    {
        var m = DistanceMatrix.ReadCsv(new ReadOnlyReader("prompt_id,\"a\nb\",c\r\n1,0.5,2\r\n2,1,3\n"), "m.csv");
        Assert.Equal(["a\nb", "c"], m.CandidateNames);
        Assert.Equal([0.5, 1], m.GetRow(0).ToArray());
    }

    [Fact]
    public void HeaderOnly_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"header-only-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "prompt_id,a,b\n");
            var ex = Assert.Throws<ProvenanceFormatException>(() => DistanceMatrix.ReadCsv(path));
            Assert.Equal(path, ex.FileName);
            Assert.StartsWith(path + ", line 1: the file has a header but no rows", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NamesWithLineBreaksQuotesAndSpaces_RoundTrip_AndLaterErrorsNameThePhysicalLine()
    {
        var original = new DistanceMatrix(
            new double[,] { { 0.5, 1 }, { 2, -0.0 } },
            ["two\nlines", " \"quoted\", and spaced "],
            ["p\r\n1", "p\r2"]);
        var writer = new StringWriter();
        original.WriteCsv(writer);
        var back = Read(writer.ToString());
        Assert.Equal(original.CandidateNames, back.CandidateNames);
        Assert.Equal(original.PromptIds, back.PromptIds);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(back[1, 1]));

        // Header on lines 1-2, prompt "p\r\n1" on lines 3-4, prompt "p\r2" on lines 5-6, then a bad row on line 7.
        var ex = Bad(writer + "p3,1,oops\n");
        Assert.Equal((7, 3), (ex.LineNumber, ex.ColumnNumber));
    }

    [Fact]
    public void GroupsFile_ReadsQuotedIdsSpanningLines()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "prompt_id,group\n\"p\n1\",a\np2,b\n");
            Assert.Equal([0, 1], PromptGrouping.ReadCsv(path, ["p\n1", "p2"]));
            File.AppendAllText(path, "p2,c\n");
            var ex = Assert.Throws<ProvenanceFormatException>(() => PromptGrouping.ReadCsv(path, ["p\n1", "p2"]));
            Assert.Equal(5, ex.LineNumber); // the duplicate p2 is on physical line 5
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Names and ids from any text with at least one non-space character (the reader rejects blank ones).</summary>
    private static Gen<string> Names() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>(),
            Gen.Elements(",", "\"", "\r", "\n", "\r\n", " ", "\t", "\u00a0", "é", "名前", "😀", "prompt_id", "\"\"", "a,b").ArrayOf().Select(parts => string.Concat(parts)))
        .Where(s => s is not null && !string.IsNullOrWhiteSpace(s));

    private static Gen<double> FiniteDoubles() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<double>(),
            Gen.Choose(int.MinValue, int.MaxValue).Two().Select(x => BitConverter.Int64BitsToDouble(((long)x.Item1 << 32) | (uint)x.Item2)),
            Gen.Elements(0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.1, 1.0 / 3))
        .Where(double.IsFinite);

    [Property(MaxTest = 300, Replay = "(20261202,17)")]
    public Property WriteCsvThenReadCsv_RoundTripsAnyNamesIdsAndFiniteValues() =>
        Prop.ForAll(
            (from m in Gen.Choose(1, 4)
             from n in Gen.Choose(1, 5)
             from names in Names().ArrayOf(m)
             from ids in Names().ArrayOf(n)
             from cells in FiniteDoubles().ArrayOf(m * n)
             select (Names: names, Ids: ids, Cells: cells)).ToArbitrary(),
            sample =>
            {
                string[] names = [.. sample.Names.Distinct(StringComparer.Ordinal)];
                string[] ids = [.. sample.Ids.Distinct(StringComparer.Ordinal)];
                double[][] rows = [.. names.Select((_, i) => ids.Select((_, t) => sample.Cells[(i * sample.Ids.Length) + t]).ToArray())];
                var original = new DistanceMatrix(rows, names, ids);
                var writer = new StringWriter();
                original.WriteCsv(writer);
                var back = Read(writer.ToString());
                bool bitExact = Enumerable.Range(0, names.Length).All(i => original.GetRow(i).ToArray().Select(BitConverter.DoubleToInt64Bits)
                    .SequenceEqual(back.GetRow(i).ToArray().Select(BitConverter.DoubleToInt64Bits)));
                return original.CandidateNames.SequenceEqual(back.CandidateNames, StringComparer.Ordinal)
                    && original.PromptIds.SequenceEqual(back.PromptIds, StringComparer.Ordinal)
                    && bitExact;
            });
}
