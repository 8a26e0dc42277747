using System.Text;

namespace ProvenanceSet.Data;

/// <summary>
/// Reads CSV records (RFC 4180 quoting, comma separator) from a reader. A quoted field may span
/// lines; its line breaks are kept exactly (CR, LF or CRLF). Unquoted fields are trimmed by the
/// callers, quoted fields are kept as written.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string source)
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

/// <summary>Writes CSV fields.</summary>
internal static class CsvFields
{
    /// <summary>
    /// Quotes a field when it needs it: separators, quotes and line breaks, and leading or trailing
    /// white space, which the readers trim from unquoted fields.
    /// </summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1])))
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
