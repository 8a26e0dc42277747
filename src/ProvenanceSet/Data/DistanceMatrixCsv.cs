using System.Globalization;

namespace ProvenanceSet.Data;

/// <summary>The wide distance CSV: <c>prompt_id,&lt;candidate 1&gt;,...</c>, then one row per prompt.</summary>
internal static class DistanceMatrixCsv
{
    public const string PromptIdHeader = "prompt_id";

    public static (double[][] Columns, string[] Names, string[] PromptIds) Read(TextReader reader, string source)
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

        var columns = new List<double>[m];
        for (int i = 0; i < m; i++)
        {
            columns[i] = [];
        }

        var ids = new List<string>();
        var idLine = new Dictionary<string, int>(StringComparer.Ordinal);
        while (csv.TryRead(fields, quoted))
        {
            // A record with a quoted line break spans several lines: errors name the line it starts on.
            int lineNumber = csv.RecordLine;
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

            if (!idLine.TryAdd(id, lineNumber))
            {
                throw new ProvenanceFormatException(source, lineNumber, 1,
                    $"duplicate prompt_id '{id}' (also on line {idLine[id]}).");
            }

            ids.Add(id);
            for (int i = 0; i < m; i++)
            {
                columns[i].Add(ParseCell(fields[i + 1], source, lineNumber, i + 2, names[i], id));
            }
        }

        if (ids.Count == 0)
        {
            throw new ProvenanceFormatException(source, headerLine, 0,
                $"the file has a header but no rows: add one row per prompt, '<prompt id>,<distance>,...' with one distance per candidate column ({m}).");
        }

        return ([.. columns.Select(c => c.ToArray())], names, [.. ids]);
    }

    // Unquoted names and ids are trimmed; quoted ones are kept as written, so that WriteCsv round-trips them.
    private static string Value(List<string> fields, List<bool> quoted, int index) =>
        quoted[index] ? fields[index] : fields[index].Trim();

    private static double ParseCell(string text, string source, int line, int column, string candidate, string promptId)
    {
        string where = $"(candidate '{candidate}', prompt '{promptId}')";
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new ProvenanceFormatException(source, line, column, $"empty cell {where}.");
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new ProvenanceFormatException(source, line, column, $"'{trimmed}' is not a number {where}.");
        }

        if (!double.IsFinite(value))
        {
            throw new ProvenanceFormatException(source, line, column,
                $"'{trimmed}' is not a finite number {where}: NaN and infinities are not distances.");
        }

        return value;
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
