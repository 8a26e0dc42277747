using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProvenanceSet.Collection.Prompts;
using ProvenanceSet.Data;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Collection.Collecting;

/// <summary>
/// The outputs file of a collection, opened for resuming: the existing records are scanned (an
/// incomplete last line left by a crash is cut), then complete lines are appended, one write per
/// line, by one writer at a time. A lock file beside it (<c>FILE.lock</c>) keeps a second collector
/// out while readers such as <c>mps audit</c> can still read.
/// </summary>
internal sealed class OutputsFile : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly TimeSpan DiskFlushInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _sync = new();
    private readonly FileStream _lockStream;
    private readonly string _lockPath;
    private readonly FileStream _stream;
    private readonly Dictionary<string, HashSet<string>> _done;
    private readonly MemoryStream _line = new();
    private readonly Utf8JsonWriter _json;
    private readonly bool _includePrompt;
    private readonly Stopwatch _sinceDiskFlush = Stopwatch.StartNew();
    private bool _disposed;

    private OutputsFile(string path, FileStream lockStream, string lockPath, FileStream stream, IEnumerable<string> models, bool includePrompt)
    {
        Path = path;
        _lockStream = lockStream;
        _lockPath = lockPath;
        _stream = stream;
        _includePrompt = includePrompt;
        _done = models.ToDictionary(m => m, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        _json = new Utf8JsonWriter(_line, WriterOptions);
    }

    /// <summary>The path as given (used in messages).</summary>
    public string Path { get; }

    /// <summary>What was repaired (an incomplete last line cut), or null.</summary>
    public string? Repair { get; private set; }

    /// <summary>Opens (or creates) the file, takes the lock, repairs a torn last line and indexes the records of <paramref name="models"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="OutputsFileLockedException">Another collector writes the file.</exception>
    /// <exception cref="ProvenanceFormatException">A complete line of the file is not an outputs record, or a pair appears twice.</exception>
    public static OutputsFile Open(string path, IEnumerable<string> models, bool includePrompt)
    {
        string full = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{path}: the folder {directory} does not exist.");
        }

        string lockPath = full + ".lock";
        FileStream lockStream;
        try
        {
            lockStream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new OutputsFileLockedException(path, lockPath, ex);
        }

        FileStream? stream = null;
        try
        {
            stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            var file = new OutputsFile(path, lockStream, lockPath, stream, models, includePrompt);
            file.Scan();
            return file;
        }
        catch
        {
            stream?.Dispose();
            lockStream.Dispose();
            TryDelete(lockPath);
            throw;
        }
    }

    /// <summary>Whether the file holds an answer of <paramref name="model"/> to <paramref name="promptId"/>.</summary>
    public bool Contains(string model, string promptId)
    {
        lock (_sync)
        {
            return _done[model].Contains(promptId);
        }
    }

    /// <summary>Appends one complete line and flushes it; false (nothing written) when the pair is already in the file.</summary>
    public bool Append(string model, PromptRecord prompt, string output)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_done[model].Add(prompt.Id))
            {
                return false;
            }

            _line.SetLength(0);
            _json.Reset(_line);
            _json.WriteStartObject();
            _json.WriteString("model", model);
            _json.WriteString("prompt_id", prompt.Id);
            _json.WriteString("output", ValidUtf16(output));
            if (_includePrompt)
            {
                _json.WriteString("prompt", ValidUtf16(prompt.Text));
            }

            _json.WriteEndObject();
            _json.Flush();
            _line.WriteByte((byte)'\n');
            _stream.Write(_line.GetBuffer(), 0, (int)_line.Length);
            if (_sinceDiskFlush.Elapsed >= DiskFlushInterval)
            {
                _stream.Flush(flushToDisk: true);
                _sinceDiskFlush.Restart();
            }

            return true;
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            finally
            {
                _stream.Dispose();
                _json.Dispose();
                _line.Dispose();
                TryDelete(_lockPath);
                _lockStream.Dispose();
            }
        }
    }

    private void Scan()
    {
        long length = _stream.Length;
        long tailStart = LastLineFeed(_stream, length) + 1;
        if (tailStart < length)
        {
            // The last line has no line feed: a crash in the middle of a write, or a file written by hand.
            byte[] tail = new byte[length - tailStart];
            _stream.Position = tailStart;
            _stream.ReadExactly(tail);
            if (IsCompleteRecord(tail))
            {
                _stream.Position = length;
                _stream.WriteByte((byte)'\n');
            }
            else
            {
                _stream.SetLength(tailStart);
                Repair = $"cut an incomplete last line ({tail.Length} bytes) left by an interrupted run";
            }
        }

        _stream.Position = 0;
        using (var reader = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true))
        {
            foreach (var record in ModelOutputReader.ReadJsonLines(reader, Path))
            {
                if (_done.TryGetValue(record.Model, out var prompts))
                {
                    prompts.Add(record.PromptId);
                }
            }
        }

        _stream.Seek(0, SeekOrigin.End);
        _stream.Flush(flushToDisk: true);
    }

    private bool IsCompleteRecord(byte[] line)
    {
        try
        {
            using var reader = new StringReader(Encoding.UTF8.GetString(line));
            return ModelOutputReader.ReadJsonLines(reader, Path).Count() == 1;
        }
        catch (ProvenanceFormatException)
        {
            return false;
        }
    }

    /// <summary>The offset of the last line feed, or -1.</summary>
    private static long LastLineFeed(FileStream stream, long length)
    {
        byte[] buffer = new byte[64 * 1024];
        long end = length;
        while (end > 0)
        {
            int count = (int)Math.Min(buffer.Length, end);
            long start = end - count;
            stream.Position = start;
            stream.ReadExactly(buffer, 0, count);
            int index = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                return start + index;
            }

            end = start;
        }

        return -1;
    }

    /// <summary>The text with unpaired surrogates replaced by U+FFFD (JSON cannot carry them as UTF-8).</summary>
    private static string ValidUtf16(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A lock file left behind is harmless: the lock is the open handle, not the file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
