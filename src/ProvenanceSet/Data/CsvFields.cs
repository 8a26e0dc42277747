using System.Text;

namespace ModelProvenance;

/// <summary>Splits one CSV line into fields (RFC 4180 quoting, comma separator).</summary>
internal static class CsvFields
{
    /// <summary>Splits <paramref name="line"/> into <paramref name="fields"/>; returns false on an unterminated quote.</summary>
    public static bool TrySplit(string line, List<string> fields)
    {
        fields.Clear();
        if (line.IndexOf('"', StringComparison.Ordinal) < 0)
        {
            int start = 0;
            while (true)
            {
                int comma = line.IndexOf(',', start);
                if (comma < 0)
                {
                    fields.Add(line[start..]);
                    return true;
                }

                fields.Add(line[start..comma]);
                start = comma + 1;
            }
        }

        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(line[i++]);
                }

                // Text after a closing quote up to the next comma is kept verbatim.
                while (i < line.Length && line[i] != ',')
                {
                    sb.Append(line[i++]);
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    sb.Append(line[i++]);
                }
            }

            fields.Add(sb.ToString());
            if (i >= line.Length)
            {
                return true;
            }

            i++; // the comma
        }
    }

    /// <summary>Quotes a field when it needs it.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
