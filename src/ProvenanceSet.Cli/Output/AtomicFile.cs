using System.Text;

namespace ModelProvenance.Cli.Output;

/// <summary>Writes a file completely or not at all: a temporary file beside it, then a rename.</summary>
internal static class AtomicFile
{
    /// <summary>Writes a result to <paramref name="path"/>, or to <paramref name="stdout"/> when the path is "-".</summary>
    public static void WriteResult(string path, string contents, TextWriter stdout)
    {
        if (path == "-")
        {
            stdout.Write(contents);
        }
        else
        {
            WriteAllText(path, contents);
        }
    }

    public static void WriteAllText(string path, string contents)
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
            File.WriteAllText(temporary, contents, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
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
