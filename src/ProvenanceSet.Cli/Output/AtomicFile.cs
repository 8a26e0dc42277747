using System.Text;

namespace ModelProvenance.Cli.Output;

/// <summary>The command line's result and report files, written completely or not at all (<see cref="Collection.AtomicReplace"/>).</summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

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

    /// <summary>Writes UTF-8 text (no byte order mark) completely or not at all.</summary>
    public static void WriteAllText(string path, string contents) =>
        Collection.AtomicReplace.Write(path, stream => stream.Write(Utf8.GetBytes(contents)));
}
