using System.Buffers;
using System.Globalization;
using System.Text;

namespace ProvenanceSet.Data;

/// <summary>
/// An in-memory distance matrix: M candidates (rows) × N prompts (columns), values checked finite.
/// </summary>
/// <remarks>
/// Build it from a <c>double[,]</c> or from jagged rows (rows = candidates), or read the wide CSV
/// (one row per prompt) with <see cref="ReadCsv(string, string?)"/>. Default names are
/// <c>candidate-1..M</c> and prompt ids <c>1..N</c>.
/// </remarks>
public sealed class DistanceMatrix : IDistanceMatrix
{
    private readonly double[] _values; // row-major: _values[i * N + t]
    private readonly string[] _candidateNames;
    private readonly string[] _promptIds;

    /// <summary>Creates a matrix from a rectangular array with one row per candidate.</summary>
    /// <param name="values">L[i, t]: candidate i's distance to the target on prompt t.</param>
    /// <param name="candidateNames">One unique name per row, or null for <c>candidate-1..M</c>.</param>
    /// <param name="promptIds">One unique id per column, or null for <c>1..N</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">A value is NaN or infinite (the message names candidate and prompt),
    /// names or ids are duplicated, empty, or do not match the matrix size.</exception>
    public DistanceMatrix(double[,] values, IReadOnlyList<string>? candidateNames = null, IReadOnlyList<string>? promptIds = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        int m = values.GetLength(0), n = values.GetLength(1);
        _candidateNames = ResolveNames(candidateNames, m, "candidate", i => $"candidate-{i + 1}", nameof(candidateNames));
        _promptIds = ResolveNames(promptIds, n, "prompt id", t => (t + 1).ToString(CultureInfo.InvariantCulture), nameof(promptIds));
        _values = new double[(long)m * n];
        for (int i = 0; i < m; i++)
        {
            for (int t = 0; t < n; t++)
            {
                _values[(i * n) + t] = CheckFinite(values[i, t], i, t, nameof(values));
            }
        }
    }

    /// <summary>Creates a matrix from jagged rows, one row per candidate.</summary>
    /// <param name="rows">Row i holds candidate i's N distances; every row must have the same length.</param>
    /// <param name="candidateNames">One unique name per row, or null for <c>candidate-1..M</c>.</param>
    /// <param name="promptIds">One unique id per column, or null for <c>1..N</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> or one of its rows is null.</exception>
    /// <exception cref="ArgumentException">Rows are ragged, a value is NaN or infinite, or names or ids are
    /// duplicated, empty, or do not match the matrix size.</exception>
    public DistanceMatrix(IReadOnlyList<double[]> rows, IReadOnlyList<string>? candidateNames = null, IReadOnlyList<string>? promptIds = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int m = rows.Count;
        int n = m == 0 ? 0 : (rows[0] ?? throw new ArgumentNullException(nameof(rows), "Row 1 is null.")).Length;
        _candidateNames = ResolveNames(candidateNames, m, "candidate", i => $"candidate-{i + 1}", nameof(candidateNames));
        for (int i = 0; i < m; i++)
        {
            double[] row = rows[i] ?? throw new ArgumentNullException(nameof(rows), $"Row {i + 1} ('{_candidateNames[i]}') is null.");
            if (row.Length != n)
            {
                throw new ArgumentException(
                    $"Ragged rows: row {i + 1} ('{_candidateNames[i]}') has {row.Length} values but row 1 has {n}.", nameof(rows));
            }
        }

        _promptIds = ResolveNames(promptIds, n, "prompt id", t => (t + 1).ToString(CultureInfo.InvariantCulture), nameof(promptIds));
        _values = new double[(long)m * n];
        for (int i = 0; i < m; i++)
        {
            double[] row = rows[i];
            for (int t = 0; t < n; t++)
            {
                _values[(i * n) + t] = CheckFinite(row[t], i, t, nameof(rows));
            }
        }
    }

    // Takes ownership of already validated, row-major values (used by the CSV reader).
    private DistanceMatrix(double[] rowMajor, string[] candidateNames, string[] promptIds)
    {
        _values = rowMajor;
        _candidateNames = candidateNames;
        _promptIds = promptIds;
    }

    /// <inheritdoc />
    public int CandidateCount => _candidateNames.Length;

    /// <inheritdoc />
    public int PromptCount => _promptIds.Length;

    /// <inheritdoc />
    public IReadOnlyList<string> CandidateNames => _candidateNames;

    /// <inheritdoc />
    public IReadOnlyList<string> PromptIds => _promptIds;

    /// <summary>
    /// The target model's name, when known (null by default). The procedure refuses a matrix whose
    /// target is also one of its candidates.
    /// </summary>
    public string? TargetName { get; init; }

    /// <summary>L[candidate, prompt].</summary>
    /// <param name="candidate">0-based row index.</param>
    /// <param name="prompt">0-based column index.</param>
    public double this[int candidate, int prompt]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(candidate);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(candidate, CandidateCount);
            ArgumentOutOfRangeException.ThrowIfNegative(prompt);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(prompt, PromptCount);
            return _values[(candidate * PromptCount) + prompt];
        }
    }

    /// <summary>Candidate <paramref name="candidate"/>'s N distances, without copying.</summary>
    /// <param name="candidate">0-based row index.</param>
    public ReadOnlySpan<double> GetRow(int candidate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(candidate);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(candidate, CandidateCount);
        return _values.AsSpan(candidate * PromptCount, PromptCount);
    }

    /// <inheritdoc />
    public void CopyRow(int candidate, Span<double> destination) => GetRow(candidate).CopyTo(destination);

    /// <summary>The validated values, row-major (<c>[i * N + t]</c>), shared without copying: the procedure reads them in place.</summary>
    internal double[] RowMajorValues => _values;

    /// <summary>Reads the wide distance CSV: header <c>prompt_id,&lt;candidate 1&gt;,...</c>, then one row per prompt.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="targetName">The target model's name, when known.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ProvenanceFormatException">The file is malformed; the message names line and column.</exception>
    public static DistanceMatrix ReadCsv(string path, string? targetName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        long lines = CountLines(file);
        file.Position = 0;
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var (rowMajor, names, ids) = DistanceMatrixCsv.Read(reader, path, lines);
        return new DistanceMatrix(rowMajor, names, ids) { TargetName = targetName };
    }

    // Line feeds, plus one for a last line without one: the physical lines of a UTF-8 (or ASCII) text, which lets the
    // reader size the matrix before it parses (a pass over the file in the page cache, far quicker than parsing).
    private static long CountLines(FileStream file)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long lines = 0;
            int read, last = -1;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                last = buffer[read - 1];
            }

            return last is -1 or '\n' ? lines : lines + 1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the wide CSV from a reader.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="sourceName">The name used in error messages (usually the file path).</param>
    /// <param name="targetName">The target model's name, when known.</param>
    /// <exception cref="ProvenanceFormatException">The text is malformed; the message names line and column.</exception>
    public static DistanceMatrix ReadCsv(TextReader reader, string sourceName, string? targetName = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var (rowMajor, names, ids) = DistanceMatrixCsv.Read(reader, sourceName);
        return new DistanceMatrix(rowMajor, names, ids) { TargetName = targetName };
    }

    /// <summary>Writes the wide CSV (invariant culture, round-trip precision).</summary>
    /// <param name="writer">Where to write.</param>
    public void WriteCsv(TextWriter writer) => DistanceMatrixCsv.Write(this, writer);

    private double CheckFinite(double value, int candidate, int prompt, string paramName)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(
                $"Distance of candidate '{_candidateNames[candidate]}' (row {candidate + 1}) on prompt '{_promptIds[prompt]}' (column {prompt + 1}) is {value.ToString(CultureInfo.InvariantCulture)}: distances must be finite numbers.",
                paramName);
        }

        return value;
    }

    private static string[] ResolveNames(IReadOnlyList<string>? names, int count, string what, Func<int, string> fallback, string paramName) =>
        names is null ? [.. Enumerable.Range(0, count).Select(fallback)] : NameList.Validated(names, count, what, paramName);
}
