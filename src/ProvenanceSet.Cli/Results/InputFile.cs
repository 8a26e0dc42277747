using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ProvenanceSet.Cli.Results;

/// <summary>A file the run read, identified by content: what the JSON's "inputs" and the report list.</summary>
/// <param name="Option">The option that named it (e.g. --matrix).</param>
/// <param name="Path">Its full path.</param>
/// <param name="Sha256">SHA-256 of its bytes, lower-case hex.</param>
/// <param name="Bytes">Its size in bytes.</param>
internal sealed record InputFile(string Option, string Path, string Sha256, long Bytes)
{
    /// <summary>Hashes the file as it is now.</summary>
    public static InputFile Read(string option, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        byte[] hash = SHA256.HashData(stream);
        return new InputFile(option, System.IO.Path.GetFullPath(path), Convert.ToHexStringLower(hash), stream.Length);
    }

    /// <summary>The files named by these options, in order (options not given are skipped).</summary>
    public static List<InputFile> ReadAll(params IEnumerable<(string Option, string? Path)> files) =>
        [.. files.Where(f => f.Path is not null).Select(f => Read(f.Option, f.Path!))];

    public JsonObject ToJson() => new() { ["path"] = Path, ["sha256"] = Sha256, ["bytes"] = Bytes };
}
