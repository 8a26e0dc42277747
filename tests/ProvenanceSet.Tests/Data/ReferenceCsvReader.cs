using System.Globalization;
using System.Text;
using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Data;

/// <summary>
/// The distance CSV reader as it was before the fast path (a character at a time from the reader, every field a
/// string, then double.TryParse): the reference that the fast reader must agree with, value for value and error
/// for error (message, line and column).
/// </summary>
internal static class ReferenceCsvReader
{
    private const string PromptIdHeader = DistanceMatrixCsv.PromptIdHeader;

    public static (double[][] Columns, string[] Names, string[] PromptIds) Read(TextReader reader, string source)
    {
        var csv = new RecordReader(reader, source);
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

    private sealed class RecordReader(TextReader reader, string source)
    {
        private readonly StringBuilder _field = new();
        private int _line = 1; // the physical line of the next character
        private int _next = -2; // one character of look-ahead (-1 at the end, -2 not read yet): TextReader.Peek may not be supported

        /// <summary>The physical line on which the last record read starts (1-based).</summary>
        public int RecordLine { get; private set; }

        /// <summary>
        /// Reads the next record that is not a blank line into <paramref name="fields"/>; false at the end.
        /// <paramref name="quoted"/> tells, per field, whether it was quoted.
        /// </summary>
        /// <exception cref="ProvenanceFormatException">A quoted field is not closed before the end of the text.</exception>
        public bool TryRead(List<string> fields, List<bool> quoted)
        {
            while (Peek() >= 0)
            {
                RecordLine = _line;
                ReadRecord(fields, quoted);
                bool blank = fields.Count == 1 && !quoted[0] && string.IsNullOrWhiteSpace(fields[0]);
                if (!blank)
                {
                    return true;
                }
            }

            fields.Clear();
            quoted.Clear();
            return false;
        }

        private void ReadRecord(List<string> fields, List<bool> quoted)
        {
            fields.Clear();
            quoted.Clear();
            while (true)
            {
                _field.Clear();
                bool isQuoted = Peek() == '"';
                if (isQuoted)
                {
                    int openLine = _line;
                    Read();
                    while (true)
                    {
                        int c = Read();
                        if (c < 0)
                        {
                            throw new ProvenanceFormatException(source, RecordLine, fields.Count + 1,
                                openLine == RecordLine
                                    ? "unterminated quoted field: the closing quote is missing."
                                    : $"unterminated quoted field (opened on line {openLine}): the closing quote is missing.");
                        }

                        if (c == '"')
                        {
                            if (Peek() == '"')
                            {
                                Read();
                                _field.Append('"');
                                continue;
                            }

                            break;
                        }

                        CountLineBreak(c);
                        _field.Append((char)c);
                    }
                }

                // Unquoted text, or text after a closing quote (kept verbatim), up to the separator or the end of the line.
                int next;
                while ((next = Peek()) >= 0 && next is not (',' or '\r' or '\n'))
                {
                    _field.Append((char)Read());
                }

                fields.Add(_field.ToString());
                quoted.Add(isQuoted);
                next = Read();
                if (next == ',')
                {
                    continue;
                }

                if (next == '\r' && Peek() == '\n')
                {
                    Read();
                }

                if (next >= 0)
                {
                    _line++;
                }

                return;
            }
        }

        private int Peek()
        {
            if (_next == -2)
            {
                _next = reader.Read();
            }

            return _next;
        }

        private int Read()
        {
            int c = Peek();
            _next = -2;
            return c;
        }

        // Inside a quoted field: a CR, an LF, or a CRLF (counted at its LF) ends a physical line.
        private void CountLineBreak(int c)
        {
            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }
        }
    }
}
