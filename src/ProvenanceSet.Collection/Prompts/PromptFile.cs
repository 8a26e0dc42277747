using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProvenanceSet.Data;

namespace ProvenanceSet.Collection.Prompts;

/// <summary>
/// Prompts files: JSON Lines, one <c>{"prompt_id": "p1", "prompt": "..."}</c> per line, UTF-8.
/// Also reads plain text files with one prompt per line.
/// </summary>
public static class PromptFile
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Reads a prompts file. <c>prompt_id</c> is a string (an integer is taken as its decimal text),
    /// <c>prompt</c> a non-empty string; other fields are ignored and blank lines skipped.
    /// </summary>
    /// <param name="path">The JSON Lines file.</param>
    /// <returns>The prompts in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ProvenanceFormatException">A malformed line, a missing or empty field, a repeated prompt id, or no prompt at all; the message names the file and line.</exception>
    public static IReadOnlyList<PromptRecord> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads prompts JSON Lines from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">The name used in messages (usually the file path).</param>
    /// <returns>The prompts in order.</returns>
    /// <exception cref="ProvenanceFormatException">A malformed line, a missing or empty field, a repeated prompt id, or no prompt at all.</exception>
    public static IReadOnlyList<PromptRecord> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var prompts = new List<PromptRecord>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var prompt = Parse(line, sourceName, lineNumber);
            if (!lines.TryAdd(prompt.Id, lineNumber))
            {
                throw new ProvenanceFormatException(sourceName, lineNumber, 0, $"prompt_id '{prompt.Id}' repeats line {lines[prompt.Id]}.");
            }

            prompts.Add(prompt);
        }

        return prompts.Count > 0 ? prompts : throw new ProvenanceFormatException(sourceName, 0, 0, "no prompts in the file.");
    }

    /// <summary>
    /// Reads a plain text file with one prompt per line (blank lines skipped); the prompts get the
    /// ids <c>p1</c>, <c>p2</c>, ... in order, counting prompts, not lines.
    /// </summary>
    /// <param name="path">The text file.</param>
    /// <returns>The prompts in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ProvenanceFormatException">The file holds no prompt.</exception>
    public static IReadOnlyList<PromptRecord> ReadPlainText(string path) => ReadPlainText(path, out _);

    /// <summary>
    /// Reads a plain text file with one prompt per line and tells which lines were blank (skipped):
    /// the ids <c>p1</c>, <c>p2</c>, ... count prompts, so after a blank line an id no longer equals
    /// its line number.
    /// </summary>
    /// <param name="path">The text file.</param>
    /// <param name="blankLines">The 1-based numbers of the blank (empty or white-space) lines skipped.</param>
    /// <returns>The prompts in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ProvenanceFormatException">The file holds no prompt.</exception>
    public static IReadOnlyList<PromptRecord> ReadPlainText(string path, out IReadOnlyList<int> blankLines)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var prompts = new List<PromptRecord>();
        var blank = new List<int>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                blank.Add(lineNumber);
            }
            else
            {
                prompts.Add(new PromptRecord($"p{prompts.Count + 1}", line.Trim()));
            }
        }

        blankLines = blank;
        return prompts.Count > 0 ? prompts : throw new ProvenanceFormatException(path, 0, 0, "no prompts in the file: write one prompt per line.");
    }

    /// <summary>Writes prompts as JSON Lines, completely or not at all (a temporary file beside it, then a rename).</summary>
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="prompts">The prompts.</param>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Write(string path, IEnumerable<PromptRecord> prompts)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(prompts);
        AtomicReplace.Write(path, stream => Write(stream, prompts));
    }

    /// <summary>Writes prompts as JSON Lines (UTF-8, one line each) to a stream.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="prompts">The prompts.</param>
    public static void Write(Stream stream, IEnumerable<PromptRecord> prompts)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(prompts);
        using var json = new Utf8JsonWriter(stream, WriterOptions);
        foreach (var prompt in prompts)
        {
            json.Reset();
            json.WriteStartObject();
            json.WriteString("prompt_id", prompt.Id);
            json.WriteString("prompt", prompt.Text);
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
        }
    }

    /// <summary>The prompts as JSON Lines text.</summary>
    /// <param name="prompts">The prompts.</param>
    /// <returns>One line per prompt, each ending in a line feed.</returns>
    public static string ToJsonLines(IEnumerable<PromptRecord> prompts)
    {
        using var buffer = new MemoryStream();
        Write(buffer, prompts);
        return Utf8NoBom.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static PromptRecord Parse(string line, string source, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            int column = (int)(ex.BytePositionInLine ?? 0) + 1;
            string message = ex.Message;
            int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            throw new ProvenanceFormatException(source, lineNumber, column, $"malformed JSON: {(cut > 0 ? message[..cut] : message).Trim()}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, "expected a JSON object {\"prompt_id\": ..., \"prompt\": ...}.");
            }

            if (!root.TryGetProperty("prompt_id", out var idElement))
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, "missing required field 'prompt_id'.");
            }

            string id = idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString()!,
                JsonValueKind.Number when idElement.TryGetInt64(out long number) => number.ToString(CultureInfo.InvariantCulture),
                _ => throw new ProvenanceFormatException(source, lineNumber, 0, "'prompt_id' must be a string or an integer."),
            };
            if (id.Trim().Length == 0)
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, "'prompt_id' is empty.");
            }

            if (!root.TryGetProperty("prompt", out var textElement))
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, "missing required field 'prompt'.");
            }

            if (textElement.ValueKind != JsonValueKind.String)
            {
                throw new ProvenanceFormatException(source, lineNumber, 0, "'prompt' must be a string.");
            }

            string text = textElement.GetString()!;
            return text.Trim().Length > 0 ? new PromptRecord(id, text) : throw new ProvenanceFormatException(source, lineNumber, 0, "'prompt' is empty.");
        }
    }
}
