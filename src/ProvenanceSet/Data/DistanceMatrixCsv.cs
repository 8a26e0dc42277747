using System.Globalization;
using System.Runtime.CompilerServices;

namespace ProvenanceSet.Data;

/// <summary>The wide distance CSV: <c>prompt_id,&lt;candidate 1&gt;,...</c>, then one row per prompt.</summary>
internal static class DistanceMatrixCsv
{
    public const string PromptIdHeader = "prompt_id";

    /// <summary>
    /// Reads the wide CSV into row-major storage (<c>[i * N + t]</c>, exactly M × N long), parsing every cell
    /// straight into its place.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <param name="lineCount">
    /// The text's physical lines, when known (the file reader counts its line feeds), or 0. The lines after the
    /// header bound the rows: storage for that many is taken at once, and when every one of them is a row (no blank
    /// line, no quoted line break) no value is ever copied. Otherwise the storage grows by doubling and is copied
    /// once more at the end to its exact size.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call reads the whole file: no time in slower tiers
    public static (double[] RowMajor, string[] Names, string[] PromptIds) Read(TextReader reader, string source, long lineCount = 0)
    {
        var csv = new CsvRecordReader(reader, source);
        var fields = new List<string>();
        var quoted = new List<bool>();

        // Header: the first record that is not a blank line.
        if (!csv.TryRead(fields, quoted))
        {
            throw new ProvenanceFormatException(source, 0, 0, "the file is empty: expected a header 'prompt_id,<candidate 1>,<candidate 2>,...'.");
        }

        int headerLine = csv.RecordLine;
        if (fields[0].Trim() != PromptIdHeader)
        {
            throw new ProvenanceFormatException(source, headerLine, 1,
                $"the header must start with '{PromptIdHeader}', found '{fields[0]}'.");
        }

        int m = fields.Count - 1;
        if (m < 1)
        {
            throw new ProvenanceFormatException(source, headerLine, 0, "the header names no candidate columns.");
        }

        var names = new string[m];
        var nameColumn = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < m; i++)
        {
            string name = Value(fields, quoted, i + 1);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ProvenanceFormatException(source, headerLine, i + 2, "empty candidate name in the header.");
            }

            if (!nameColumn.TryAdd(name, i + 2))
            {
                throw new ProvenanceFormatException(source, headerLine, i + 2,
                    $"duplicate candidate name '{name}' (also column {nameColumn[name]}).");
            }

            names[i] = name;
        }

        long remainingLines = lineCount > 0 ? lineCount - (csv.NextLine - 1) : 64;
        var cells = new CellStorage(m, (int)Math.Clamp(remainingLines, 1, Array.MaxLength / m));
        var ids = new List<string>(cells.Capacity);
        var idLine = new Dictionary<string, int>(cells.Capacity, StringComparer.Ordinal);
        while (true)
        {
            // Storage that is full grows only for a row that is there (a full storage at the end is the matrix itself).
            if (ids.Count == cells.Capacity && csv.AtEnd())
            {
                break;
            }

            cells.EnsureRoom(ids.Count);
            string? id;
            var row = csv.TryReadNumbers(m, cells.Values, ids.Count, cells.Capacity, out id);
            if (row == CsvRecordReader.RowResult.End)
            {
                break;
            }

            if (row == CsvRecordReader.RowResult.Other)
            {
                // Quotes across lines, a wrong field count, a bad cell, a line of white space: the record reader,
                // which finds every problem in the order the messages promise.
                if (!csv.TryRead(fields, quoted))
                {
                    break;
                }

                id = ReadRecord(fields, quoted, m, source, csv.RecordLine, names, idLine, cells, ids.Count);
            }

            int lineNumber = csv.RecordLine;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new ProvenanceFormatException(source, lineNumber, 1, "empty prompt_id.");
            }

            if (!idLine.TryAdd(id, lineNumber))
            {
                throw new ProvenanceFormatException(source, lineNumber, 1,
                    $"duplicate prompt_id '{id}' (also on line {idLine[id]}).");
            }

            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            throw new ProvenanceFormatException(source, headerLine, 0,
                $"the file has a header but no rows: add one row per prompt, '<prompt id>,<distance>,...' with one distance per candidate column ({m}).");
        }

        return (cells.Finish(ids.Count), names, [.. ids]);
    }

    // One record read into strings: checks the field count and the prompt id (in that order), stores the cells,
    // and returns the id (the caller checks that it is new).
    private static string ReadRecord(
        List<string> fields, List<bool> quoted, int m, string source, int lineNumber, string[] names, Dictionary<string, int> idLine, CellStorage cells, int column)
    {
        // A record with a quoted line break spans several lines: errors name the line it starts on.
        if (fields.Count != m + 1)
        {
            throw new ProvenanceFormatException(source, lineNumber, 0,
                $"expected {m + 1} fields (prompt_id and {m} candidates), found {fields.Count}.");
        }

        string id = Value(fields, quoted, 0);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ProvenanceFormatException(source, lineNumber, 1, "empty prompt_id.");
        }

        if (idLine.TryGetValue(id, out int earlier))
        {
            throw new ProvenanceFormatException(source, lineNumber, 1, $"duplicate prompt_id '{id}' (also on line {earlier}).");
        }

        for (int i = 0; i < m; i++)
        {
            cells.Values[(i * cells.Capacity) + column] = ParseCell(fields[i + 1], source, lineNumber, i + 2, names[i], id);
        }

        return id;
    }

    /// <summary>
    /// Candidate-major storage with room for <see cref="Capacity"/> prompts per candidate: cell (i, t) at
    /// <c>Values[i * Capacity + t]</c>. When the rows fill it exactly it is the matrix's own storage.
    /// </summary>
    private sealed class CellStorage(int m, int capacity)
    {
        public double[] Values { get; private set; } = GC.AllocateUninitializedArray<double>(checked(m * capacity));

        public int Capacity { get; private set; } = capacity;

        /// <summary>Makes room for row <paramref name="t"/> (doubling, rows copied to their new places).</summary>
        public void EnsureRoom(int t)
        {
            if (t < Capacity)
            {
                return;
            }

            int capacity = (int)Math.Min(Math.Max(2L * Capacity, 1024), Array.MaxLength / m);
            if (capacity <= t)
            {
                throw new InvalidOperationException($"The matrix has more than {t} prompts of {m} candidates: more than an array holds.");
            }

            Values = Move(capacity, t);
            Capacity = capacity;
        }

        /// <summary>The row-major M × n values: the storage itself when it is full, else a copy of the rows.</summary>
        public double[] Finish(int n) => n == Capacity ? Values : Move(n, n);

        private double[] Move(int capacity, int rows)
        {
            double[] moved = GC.AllocateUninitializedArray<double>(checked(m * capacity));
            for (int i = 0; i < m; i++)
            {
                Values.AsSpan(i * Capacity, rows).CopyTo(moved.AsSpan(i * capacity));
            }

            return moved;
        }
    }

    // Unquoted names and ids are trimmed; quoted ones are kept as written, so that WriteCsv round-trips them.
    private static string Value(List<string> fields, List<bool> quoted, int index) =>
        quoted[index] ? fields[index] : fields[index].Trim();

    private static double ParseCell(string text, string source, int line, int column, string candidate, string promptId)
    {
        if (CsvRecordReader.TryParseCell(text, out double value))
        {
            return value;
        }

        string where = $"(candidate '{candidate}', prompt '{promptId}')";
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new ProvenanceFormatException(source, line, column, $"empty cell {where}.");
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            throw new ProvenanceFormatException(source, line, column, $"'{trimmed}' is not a number {where}.");
        }

        throw new ProvenanceFormatException(source, line, column,
            $"'{trimmed}' is not a finite number {where}: NaN and infinities are not distances.");
    }

    public static void Write(IDistanceMatrix matrix, TextWriter writer)
    {
        int m = matrix.CandidateCount, n = matrix.PromptCount;
        writer.Write(PromptIdHeader);
        foreach (string name in matrix.CandidateNames)
        {
            writer.Write(',');
            writer.Write(CsvFields.Escape(name));
        }

        writer.Write('\n');
        var rows = new double[m][];
        for (int i = 0; i < m; i++)
        {
            rows[i] = new double[n];
            matrix.CopyRow(i, rows[i]);
        }

        for (int t = 0; t < n; t++)
        {
            writer.Write(CsvFields.Escape(matrix.PromptIds[t]));
            for (int i = 0; i < m; i++)
            {
                writer.Write(',');
                writer.Write(rows[i][t].ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }
}
