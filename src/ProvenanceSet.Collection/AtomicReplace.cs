namespace ProvenanceSet.Collection;

/// <summary>
/// Writes a file completely or not at all: into a temporary file beside it, flushed to disk, then
/// renamed over the target, so that a crash or an exception never leaves a half-written file.
/// Used for the prompts files.
/// </summary>
internal static class AtomicReplace
{
    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes to a stream.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{path}: the folder {directory} does not exist.");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
