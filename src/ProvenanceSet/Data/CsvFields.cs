using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProvenanceSet.Data;

/// <summary>
/// Reads CSV records (RFC 4180 quoting, comma separator) from a reader, a block of characters at a time.
/// A quoted field may span lines; its line breaks are kept exactly (CR, LF or CRLF). Unquoted fields are
/// trimmed by the callers, quoted fields are kept as written.
/// </summary>
/// <remarks>
/// <see cref="TryRead"/> reads any record into strings. <see cref="TryReadNumbers"/> is the distance CSV's fast
/// path: it parses a plain row straight into the caller's storage and hands anything unusual (quotes with line
/// breaks or doubled quotes, a wrong number of fields, a cell that is not a finite number, a line of white space)
/// back to <see cref="TryRead"/>, so that both paths accept the same files and fail with the same messages.
/// </remarks>
internal sealed class CsvRecordReader(TextReader reader, string source)
{
    /// <summary>What <see cref="TryReadNumbers"/> found.</summary>
    public enum RowResult
    {
        /// <summary>A plain row, parsed: its cells are stored.</summary>
        Row,

        /// <summary>The end of the text: no more records.</summary>
        End,

        /// <summary>Something the fast path does not take: nothing was consumed, read the record with <see cref="TryRead"/>.</summary>
        Other,
    }

    private const int InitialBufferChars = 1 << 16;

    private readonly StringBuilder _field = new();
    private char[] _buffer = new char[InitialBufferChars];
    private int _position; // next character in _buffer
    private int _end; // characters in _buffer
    private bool _atEnd; // the reader has no more characters
    private int _line = 1; // the physical line of the next character

    /// <summary>The physical line on which the last record read starts (1-based).</summary>
    public int RecordLine { get; private set; }

    /// <summary>The physical line of the next character (1-based): one more than the lines read so far.</summary>
    public int NextLine => _line;

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

    /// <summary>
    /// The fast path for a data row of the distance CSV: skips blank lines, then, if the next record is one line of
    /// exactly <paramref name="cells"/> + 1 fields whose last <paramref name="cells"/> are finite numbers (quoted or
    /// not, no doubled quotes), stores cell i at <c>values[i * stride + column]</c>, returns its first field (trimmed
    /// unless quoted, as <see cref="TryRead"/>'s callers do) in <paramref name="id"/>, and returns
    /// <see cref="RowResult.Row"/>. Anything else returns <see cref="RowResult.Other"/> with nothing consumed (cells
    /// may have been written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RowResult TryReadNumbers(int cells, double[] values, int column, int stride, out string? id)
    {
        id = null;
        while (true)
        {
            int lineEnd = FindLineEnd();
            if (lineEnd < 0)
            {
                return RowResult.End;
            }

            ReadOnlySpan<char> line = _buffer.AsSpan(_position, lineEnd - _position);
            if (line.IsWhiteSpace())
            {
                SkipLineBreak(lineEnd); // a blank line: TryRead skips it too
                continue;
            }

            int p = 0;
            ReadOnlySpan<char> first;
            bool firstQuoted = line[0] == '"';
            if (firstQuoted)
            {
                if (!TryQuoted(line, ref p, out first))
                {
                    return RowResult.Other;
                }
            }
            else
            {
                int comma = line.IndexOfAny(',', '"');
                if (comma < 0 || line[comma] == '"')
                {
                    return RowResult.Other; // one field (a line of white space, or too few fields), or a quote inside a field
                }

                first = line[..comma];
                p = comma;
            }

            for (int i = 0; i < cells; i++)
            {
                // p is at the separator before cell i.
                if (p >= line.Length || line[p] != ',')
                {
                    return RowResult.Other; // too few fields, or text after a closing quote
                }

                p++;
                int start = p;
                if (!DecimalParsing.TryParsePrefix(line, ref p, out double value) || (p < line.Length && line[p] != ','))
                {
                    // Not a plain number: white space around it, quotes, other spellings, or not a number at all.
                    p = start;
                    ReadOnlySpan<char> text;
                    if (p < line.Length && line[p] == '"')
                    {
                        if (!TryQuoted(line, ref p, out text))
                        {
                            return RowResult.Other;
                        }
                    }
                    else
                    {
                        int next = line[p..].IndexOfAny(',', '"');
                        if (next >= 0 && line[p + next] == '"')
                        {
                            return RowResult.Other;
                        }

                        p = next < 0 ? line.Length : p + next;
                        text = line[start..p];
                    }

                    if (!TryParseCell(text, out value))
                    {
                        return RowResult.Other;
                    }
                }

                values[(i * stride) + column] = value;
            }

            if (p != line.Length)
            {
                return RowResult.Other; // more fields than cells + 1, or text after a closing quote
            }

            id = firstQuoted ? new string(first) : new string(first.Trim());
            RecordLine = _line;
            SkipLineBreak(lineEnd);
            return RowResult.Row;
        }
    }

    /// <summary>Skips blank lines (nothing but white space); true if no record follows them.</summary>
    public bool AtEnd()
    {
        while (FindLineEnd() is int lineEnd and >= 0)
        {
            if (!_buffer.AsSpan(_position, lineEnd - _position).IsWhiteSpace())
            {
                return false;
            }

            SkipLineBreak(lineEnd);
        }

        return true;
    }

    /// <summary>
    /// A cell's number as the distance CSV defines it: the text trimmed, then parsed with the invariant culture
    /// (<see cref="NumberStyles.Float"/>); false when it is empty, not a number, or not finite.
    /// </summary>
    public static bool TryParseCell(ReadOnlySpan<char> text, out double value)
    {
        ReadOnlySpan<char> trimmed = text.Trim();
        if (!DecimalParsing.TryParse(trimmed, out value)
            && !double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return double.IsFinite(value);
    }

    // A quoted field at line[p] that closes on this line with no doubled quote, followed by a separator or the end
    // of the line: its content, and p moved past the closing quote. False for anything else.
    private static bool TryQuoted(ReadOnlySpan<char> line, scoped ref int p, out ReadOnlySpan<char> content)
    {
        content = default;
        int close = line[(p + 1)..].IndexOf('"');
        if (close < 0)
        {
            return false; // the field goes on past the line break (or is not closed)
        }

        close += p + 1;
        if (close + 1 < line.Length && line[close + 1] != ',')
        {
            return false; // a doubled quote, or text after the closing quote
        }

        content = line[(p + 1)..close];
        p = close + 1;
        return true;
    }

    // The index in _buffer of the line break (CR or LF) that ends the line at _position, or _end when the text ends
    // without one; -1 at the end of the text. Reads more text as needed: the whole line is in the buffer afterwards.
    private int FindLineEnd()
    {
        int searched = 0; // characters after _position known to hold no line break
        while (true)
        {
            int found = _buffer.AsSpan(_position + searched, _end - _position - searched).IndexOfAny('\r', '\n');
            if (found >= 0)
            {
                int at = _position + searched + found;
                // A CR at the end of the buffer may be the first half of a CRLF: read on to see.
                if (_buffer[at] == '\n' || at + 1 < _end || _atEnd)
                {
                    return at;
                }

                searched = at - _position;
            }
            else if (_atEnd)
            {
                return _position == _end ? -1 : _end;
            }
            else
            {
                searched = _end - _position;
            }

            Fill(); // moves the unread text to the front: searched counts from _position, which stays valid
        }
    }

    // Consumes the line break at lineEnd (CR, LF or CRLF; nothing at the end of the text).
    private void SkipLineBreak(int lineEnd)
    {
        _position = lineEnd;
        if (_position < _end)
        {
            _position += _buffer[_position] == '\r' && _position + 1 < _end && _buffer[_position + 1] == '\n' ? 2 : 1;
            _line++;
        }
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

    private int Peek() => _position < _end || Fill() ? _buffer[_position] : -1;

    private int Read()
    {
        int c = Peek();
        if (c >= 0)
        {
            _position++;
        }

        return c;
    }

    // Reads more text after the unread part (moved to the front of the buffer, which doubles when full); false at the end.
    private bool Fill()
    {
        if (_atEnd)
        {
            return false;
        }

        if (_position > 0)
        {
            _buffer.AsSpan(_position, _end - _position).CopyTo(_buffer);
            _end -= _position;
            _position = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0)
        {
            _atEnd = true;
            return false;
        }

        _end += read;
        return true;
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
