using System.Globalization;
using System.Text;
using ProvenanceSet.Data;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests.Data;

/// <summary>
/// The fast reader (block reads, plain rows parsed straight into the matrix, anything unusual handed to the record
/// reader) against <see cref="ReferenceCsvReader"/>, the reader it replaced: on random texts full of what CSV files hold
/// (quotes, doubled quotes, quoted line breaks, white space, CR, LF and CRLF, blank lines, bad cells, wrong field counts,
/// duplicates), read whole, a few characters at a time, and from a file, both must give the same matrix bit for bit or
/// the same error (message, line and column).
/// </summary>
public class CsvReaderEquivalenceTests
{
    private static readonly string[] Cells =
    [
        "0.5", "-0", "1e-3", "1E5", "+2", "-0.0", "0.43133169046042824", "123456789012345678901234", ".5", "5.",
        " 0.25 ", "\t7", "\u00a08", "\"0.75\"", "\" 1e3 \"", "\"\"", "", " ", "abc", "NaN", "-Infinity", "1e999", "2,5",
        "\"1\"x", "\"a\"\"b\"", "\"2\n3\"", "\"4\r\n5\"", "1\"2", "0x1", "1e", "4.9e-324",
    ];

    private static readonly string[] Names = ["a", "b", "c", " d ", "\"e, f\"", "\"g\nh\"", "\"\"\"q\"\"\"", "", " ", "a", "prompt_id"];

    private static readonly string[] Ids = ["1", "2", "3", " 4 ", "\"5\"", "\" 6 \"", "\"7\n8\"", "", " ", "1", "x\"y", "\"z\"w"];

    private static readonly string[] Breaks = ["\n", "\r\n", "\r"];

    [Fact]
    public void RandomTexts_ReadLikeTheReference()
    {
        var rng = new Xoshiro256StarStar(TestData.Hash(nameof(RandomTexts_ReadLikeTheReference)));
        int succeeded = 0;
        for (int k = 0; k < 4000; k++)
        {
            string text = RandomText(ref rng, plain: k % 2 == 0);
            succeeded += SameAsReference(text, ref rng) ? 1 : 0;
        }

        // Both outcomes are well covered.
        Assert.InRange(succeeded, 400, 3600);
    }

    [Fact]
    public void LinesLongerThanTheBuffer_ReadLikeTheReference()
    {
        var rng = new Xoshiro256StarStar(TestData.Hash(nameof(LinesLongerThanTheBuffer_ReadLikeTheReference)));
        var text = new StringBuilder("prompt_id");
        const int M = 7000; // about 140 000 characters a line
        for (int i = 0; i < M; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $",candidate {i}");
        }

        for (int t = 0; t < 4; t++)
        {
            text.Append(t == 2 ? "\r\n" : "\n").Append(CultureInfo.InvariantCulture, $"p{t}");
            for (int i = 0; i < M; i++)
            {
                text.Append(',').Append(rng.NextDouble().ToString("R", CultureInfo.InvariantCulture));
            }
        }

        Assert.True(SameAsReference(text.ToString(), ref rng));
        Assert.False(SameAsReference(text + "\np9," + new string('1', 200_000), ref rng)); // a short row, far too long
    }

    [Theory]
    [InlineData("prompt_id,a,b\n1,0.5,1\n2,2,3\n")] // exact: the storage is the matrix
    [InlineData("prompt_id,a,b\n1,0.5,1\n2,2,3")] // no final line break
    [InlineData("prompt_id,a,b\r\n1,0.5,1\r\n2,2,3\r\n")]
    [InlineData("prompt_id,a,b\n1,0.5,1\n\n2,2,3\n\n\n")] // blank lines: fewer rows than lines
    [InlineData("prompt_id,\"a\nb\",c\n\"p\n1\",0.5,1\n2,2,3\n")] // quoted line breaks
    [InlineData("prompt_id,a,b\r1,0.5,1\r2,2,3\r3,4,5\r")] // CR only: more rows than line feeds
    [InlineData("\uFEFFprompt_id,a,b\n1,0.5,1\n")]
    [InlineData("prompt_id,a,b\n1,0.5,1\n2,2,x\n")]
    [InlineData("prompt_id,a,b\n")]
    [InlineData("")]
    public void Files_ReadLikeTheReference(string text)
    {
        foreach (Encoding encoding in new Encoding[] { new UTF8Encoding(false), new UTF8Encoding(true), new UnicodeEncoding(false, true) })
        {
            string path = Path.Combine(Path.GetTempPath(), $"csv-equivalence-{Guid.NewGuid():N}.csv");
            try
            {
                File.WriteAllText(path, text, encoding);
                var expected = Outcome.Of(() =>
                {
                    using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
                    return ReferenceCsvReader.Read(reader, path);
                });
                var actual = Outcome.Of(() => Columns(DistanceMatrix.ReadCsv(path)));
                expected.AssertSame(actual, $"{encoding.WebName} file {Show(text)}");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// A file of plain rows is parsed straight into the matrix's storage: the reader allocates the matrix once, plus
    /// the ids and its buffers, and copies no values (a copy would allocate the matrix twice).
    /// </summary>
    [Fact]
    public void PlainFile_AllocatesTheMatrixOnce()
    {
        const int M = 50, N = 20_000;
        var original = TestData.Matrix(TestData.Hash(nameof(PlainFile_AllocatesTheMatrixOnce)), M, N);
        string path = Path.Combine(Path.GetTempPath(), $"csv-allocation-{Guid.NewGuid():N}.csv");
        try
        {
            using (var writer = new StreamWriter(path))
            {
                original.WriteCsv(writer);
            }

            DistanceMatrix.ReadCsv(path); // JIT and first-use allocations out of the way
            long before = GC.GetAllocatedBytesForCurrentThread();
            var matrix = DistanceMatrix.ReadCsv(path);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            const long MatrixBytes = 8L * M * N;
            Assert.True(allocated < MatrixBytes * 3 / 2, $"reading allocated {allocated} bytes for a {MatrixBytes}-byte matrix");
            Assert.Equal(original.GetRow(M - 1).ToArray(), matrix.GetRow(M - 1).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Compares the readers on one text; returns whether it was read (true) or refused (false).</summary>
    private static bool SameAsReference(string text, ref Xoshiro256StarStar rng)
    {
        var expected = Outcome.Of(() => ReferenceCsvReader.Read(new StringReader(text), "m.csv"));
        expected.AssertSame(Outcome.Of(() => Columns(DistanceMatrix.ReadCsv(new StringReader(text), "m.csv"))), $"whole {Show(text)}");
        ulong seed = rng.NextUInt64();
        expected.AssertSame(Outcome.Of(() => Columns(DistanceMatrix.ReadCsv(new TrickleReader(text, seed), "m.csv"))), $"trickled {Show(text)}");
        return expected.Error is null;
    }

    private static (double[][] Columns, string[] Names, string[] PromptIds) Columns(DistanceMatrix matrix) =>
        ([.. Enumerable.Range(0, matrix.CandidateCount).Select(i => matrix.GetRow(i).ToArray())], [.. matrix.CandidateNames], [.. matrix.PromptIds]);

    private static string RandomText(ref Xoshiro256StarStar rng, bool plain)
    {
        var text = new StringBuilder();
        int m = 1 + (int)rng.NextBounded(4);
        string lineBreak = Breaks[rng.NextBounded((ulong)Breaks.Length)];
        string Break(ref Xoshiro256StarStar r) => r.NextBounded(8) == 0 ? Breaks[r.NextBounded((ulong)Breaks.Length)] : lineBreak;
        if (rng.NextBounded(10) == 0)
        {
            text.Append(Break(ref rng));
        }

        text.Append(rng.NextBounded(30) == 0 ? " id" : "prompt_id");
        var used = new HashSet<string>();
        for (int i = 0; i < m; i++)
        {
            string name = plain ? $"model-{i}" : Names[rng.NextBounded((ulong)Names.Length)];
            text.Append(',').Append(plain && rng.NextBounded(50) == 0 ? Names[rng.NextBounded((ulong)Names.Length)] : name);
        }

        int n = (int)rng.NextBounded(6);
        for (int t = 0; t < n; t++)
        {
            text.Append(Break(ref rng));
            if (rng.NextBounded(8) == 0)
            {
                text.Append(rng.NextBounded(2) == 0 ? "" : " \t").Append(Break(ref rng)); // a blank line
            }

            string id = plain ? (t + 1).ToString(CultureInfo.InvariantCulture) : Ids[rng.NextBounded((ulong)Ids.Length)];
            text.Append(plain && rng.NextBounded(40) == 0 ? Ids[rng.NextBounded((ulong)Ids.Length)] : id);
            int cells = m;
            if (rng.NextBounded(plain ? 40UL : 10UL) == 0)
            {
                cells += rng.NextBounded(2) == 0 ? -1 : 1;
            }

            for (int i = 0; i < cells; i++)
            {
                text.Append(',');
                if (plain && rng.NextBounded(60) != 0)
                {
                    double value = (rng.NextDouble() - 0.25) * Math.Pow(10, (int)rng.NextBounded(9) - 4);
                    text.Append(value.ToString(rng.NextBounded(2) == 0 ? "R" : "F4", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(Cells[rng.NextBounded((ulong)Cells.Length)]);
                }
            }
        }

        switch (rng.NextBounded(6))
        {
            case 0:
                break; // no final line break
            case 1:
                text.Append(Break(ref rng)).Append(Break(ref rng));
                break;
            case 2 when !plain:
                text.Append(",\"unterminated");
                break;
            default:
                text.Append(Break(ref rng));
                break;
        }

        return text.ToString();
    }

    private static string Show(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A reader that hands out one to three characters per call: every refill boundary gets exercised.</summary>
    private sealed class TrickleReader(string text, ulong seed) : TextReader
    {
        private Xoshiro256StarStar _rng = new(seed);
        private int _position;

        public override int Read() => _position < text.Length ? text[_position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = Math.Min(Math.Min(count, 1 + (int)_rng.NextBounded(3)), text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }

    private sealed record Outcome((double[][] Columns, string[] Names, string[] PromptIds)? Result, ProvenanceFormatException? Error)
    {
        public static Outcome Of(Func<(double[][] Columns, string[] Names, string[] PromptIds)> read)
        {
            try
            {
                return new Outcome(read(), null);
            }
            catch (ProvenanceFormatException ex)
            {
                return new Outcome(null, ex);
            }
        }

        public void AssertSame(Outcome actual, string what)
        {
            if (Error is not null)
            {
                Assert.True(actual.Error is not null, $"{what}: the reference refuses it ({Error.Message}), the reader read it");
                Assert.Equal((Error.Message, Error.LineNumber, Error.ColumnNumber), (actual.Error.Message, actual.Error.LineNumber, actual.Error.ColumnNumber));
                return;
            }

            Assert.True(actual.Error is null, $"{what}: the reference reads it, the reader refuses it ({actual.Error?.Message})");
            var (columns, names, ids) = Result!.Value;
            var (actualColumns, actualNames, actualIds) = actual.Result!.Value;
            Assert.Equal(names, actualNames);
            Assert.Equal(ids, actualIds);
            Assert.Equal(columns.Length, actualColumns.Length);
            for (int i = 0; i < columns.Length; i++)
            {
                Assert.Equal(columns[i].Select(BitConverter.DoubleToInt64Bits), actualColumns[i].Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }
}
