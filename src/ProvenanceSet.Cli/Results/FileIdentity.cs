using System.Runtime.InteropServices;

namespace ProvenanceSet.Cli.Results;

/// <summary>
/// Whether two paths name the same file: the same full path after resolving symbolic links, or,
/// where the OS says (Linux), the same (device, inode), which also catches hard links.
/// </summary>
internal static partial class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public static bool Same(string a, string b)
    {
        if (string.Equals(Canonical(a), Canonical(b), PathComparison))
        {
            return true;
        }

        return Of(a) is { } x && Of(b) is { } y && x == y;
    }

    /// <summary>The full path with every symbolic link on the way resolved (as far as the parts exist).</summary>
    public static string Canonical(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? string.Empty;
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    current = Path.GetFullPath(target.FullName);
                }
            }
            catch (IOException)
            {
                // A link loop or an unreadable link: compare the path as written from here on.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return current;
    }

    /// <summary>(device, inode) of an existing file, links followed; null where the OS does not tell.</summary>
    private static (ulong Device, ulong Inode)? Of(string path)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            return null;
        }

        // struct statx has the same layout on every Linux architecture: stx_ino at byte 32, stx_dev_major/minor at 136/140.
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, Path.GetFullPath(path), 0, StatxBasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        ulong inode = BitConverter.ToUInt64(buffer, 32);
        ulong device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return (device, inode);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
