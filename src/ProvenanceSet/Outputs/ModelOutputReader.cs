using System.Text.Json;
using ProvenanceSet.Data;

namespace ProvenanceSet.Outputs;

/// <summary>
/// Streams the outputs JSON Lines format (docs/fingerprints.md, "Outputs"): one object per line with
/// <c>model</c>, <c>prompt_id</c>, <c>output</c> (strings, required) and optional <c>prompt</c>
/// (string) and <c>tokens</c> (array of integers). Blank lines are skipped; anything else that is
/// wrong is a <see cref="ProvenanceFormatException"/> naming file, line and column.
/// </summary>
/// <remarks>
/// Records are yielded one at a time and never held together, so files of millions of lines stream
/// in constant memory apart from the set of (model, prompt_id) keys kept to refuse duplicates.
/// Each enumeration reads the files again.
/// </remarks>
public static class ModelOutputReader
{
    /// <summary>Reads and merges several files, in order. A (model, prompt_id) pair that appears twice is an error naming both lines.</summary>
    /// <param name="paths">JSON Lines files.</param>
    /// <exception cref="FileNotFoundException">A file does not exist (raised when enumeration reaches it).</exception>
    /// <exception cref="ProvenanceFormatException">A malformed line, a duplicate record, or a file without any record.</exception>
    public static IEnumerable<ModelOutput> ReadJsonLines(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path}: no such file.", path);
            }
        }

        return ReadFiles(paths);
    }

    /// <summary>Reads one JSON Lines text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">The name used in messages (usually the file path).</param>
    /// <exception cref="ProvenanceFormatException">A malformed line or a duplicate record.</exception>
    public static IEnumerable<ModelOutput> ReadJsonLines(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ReadOne(reader, sourceName, new DuplicateGuard());
    }

    /// <summary>What one record looks like, for messages.</summary>
    internal const string RecordExample = "{\"model\": \"my-model\", \"prompt_id\": \"p1\", \"output\": \"...\"}";

    private static IEnumerable<ModelOutput> ReadFiles(IReadOnlyList<string> paths)
    {
        var guard = new DuplicateGuard();
        foreach (string path in paths)
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            bool any = false;
            foreach (var record in ReadOne(reader, path, guard))
            {
                any = true;
                yield return record;
            }

            // A named file without records is a wrong path or a collection not yet run; later steps could only say
            // that the target has no outputs.
            if (!any)
            {
                throw new ProvenanceFormatException(path, 0, 0,
                    $"the file has no records (it is empty or blank). Each line must be one JSON object such as {RecordExample}; 'mps collect' writes such files.");
            }
        }
    }

    private static IEnumerable<ModelOutput> ReadOne(TextReader reader, string source, DuplicateGuard guard)
    {
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var record = Parse(line, source, lineNumber);
            guard.Check(record);
            yield return record;
        }
    }

    private static ModelOutput Parse(string line, string source, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            // The parser's own position (line 0, a byte offset) is replaced by the file's line and a character column.
            int column = CharacterColumn(line, ex.BytePositionInLine ?? 0);
            throw new ProvenanceFormatException(source, lineNumber, column,
                $"malformed JSON: {ParserProblem(ex.Message)} Each line must be one JSON object such as {RecordExample}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, $"expected a JSON object, found {Describe(root.ValueKind)}.");
            }

            string model = RequiredString(root, "model", source, lineNumber);
            string promptId = RequiredString(root, "prompt_id", source, lineNumber);
            string output = RequiredString(root, "output", source, lineNumber, allowEmpty: true);
            if (model.Trim().Length == 0 || promptId.Trim().Length == 0)
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, model.Trim().Length == 0 ? "'model' is empty." : "'prompt_id' is empty.");
            }

            string? prompt = null;
            if (root.TryGetProperty("prompt", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                prompt = p.ValueKind == JsonValueKind.String
                    ? p.GetString()
                    : throw new ProvenanceFormatException(source, lineNumber, 0, $"'prompt' must be a string, found {Describe(p.ValueKind)}.");
            }

            int[]? tokens = null;
            if (root.TryGetProperty("tokens", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                tokens = ReadTokens(t, source, lineNumber);
            }

            return new ModelOutput(model, promptId, output)
            {
                Prompt = prompt,
                Tokens = tokens,
                SourceName = source,
                LineNumber = lineNumber,
            };
        }
    }

    private static int[] ReadTokens(JsonElement tokens, string source, int lineNumber)
    {
        if (tokens.ValueKind != JsonValueKind.Array)
        {
            throw new ProvenanceFormatException(source, lineNumber, 0, $"'tokens' must be an array of integers, found {Describe(tokens.ValueKind)}.");
        }

        var result = new int[tokens.GetArrayLength()];
        int i = 0;
        foreach (var item in tokens.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out result[i]))
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, $"'tokens' item {i + 1} is not an integer token id ({item.GetRawText()}).");
            }

            i++;
        }

        return result;
    }

    private static string RequiredString(JsonElement root, string name, string source, int lineNumber, bool allowEmpty = false)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            throw new ProvenanceFormatException(source, lineNumber, 0, $"missing required field '{name}'.");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ProvenanceFormatException(source, lineNumber, 0, $"'{name}' must be a string, found {Describe(value.ValueKind)}.");
        }

        string text = value.GetString()!;
        return allowEmpty || text.Length > 0 ? text : throw new ProvenanceFormatException(source, lineNumber, 0, $"'{name}' is empty.");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The parser's message without the position and path it appends (" LineNumber: 0 | BytePositionInLine: 12." and " Path: $ ...").</summary>
    private static string ParserProblem(string message)
    {
        foreach (string marker in (ReadOnlySpan<string>)[" LineNumber:", " Path:"])
        {
            int cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        message = message.Trim();
        return message.EndsWith('.') ? message : message + ".";
    }

    /// <summary>The 1-based column, in characters (Unicode scalar values), of a UTF-8 byte offset into <paramref name="line"/>.</summary>
    private static int CharacterColumn(string line, long bytePosition)
    {
        int column = 1;
        long bytes = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > bytePosition)
            {
                break;
            }

            column++;
        }

        return column;
    }

    /// <summary>Remembers where each (model, prompt_id) was seen, to name both lines of a duplicate.</summary>
    private sealed class DuplicateGuard
    {
        private readonly Dictionary<(string Model, string PromptId), (string Source, int Line)> _seen = [];

        public void Check(ModelOutput record)
        {
            var key = (record.Model, record.PromptId);
            if (!_seen.TryAdd(key, (record.SourceName!, record.LineNumber)))
            {
                var first = _seen[key];
                throw new ProvenanceFormatException(record.SourceName!, record.LineNumber, 0,
                    $"duplicate record for model '{record.Model}', prompt '{record.PromptId}' (first seen at {first.Source}, line {first.Line}).");
            }
        }
    }
}
