using System.Text;

namespace ProvenanceSet.Cli.Results;

/// <summary>A file an option names: the option, the path as given and, for a file the run writes, what it holds.</summary>
internal sealed record NamedPath(string Option, string? Path, string Role = "");

/// <summary>
/// The files one run writes, all or none. <see cref="Plan"/> checks every path before any work (not an
/// input, not another output, not a folder, in an existing folder that takes new files);
/// <see cref="Commit"/> writes each into a temporary file beside its target and renames them only
/// when all are written, restoring the previous files if a rename fails. Whatever is not committed
/// leaves nothing behind. '-' (stdout) is not a path: its text is written after the files.
/// </summary>
internal sealed class ResultFiles : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly List<NamedPath> outputs;
    private readonly Dictionary<string, Func<string>> contents = new(StringComparer.Ordinal);
    private readonly TextWriter stdout;
    private readonly TextWriter? log;
    private readonly List<string> leftovers = [];

    private ResultFiles(List<NamedPath> outputs, TextWriter stdout, TextWriter? log)
    {
        this.outputs = outputs;
        this.stdout = stdout;
        this.log = log;
    }

    /// <summary>
    /// Checks the outputs against the inputs and each other (exit 2 on a clash) and returns the set to
    /// fill. <paramref name="log"/> gets one "wrote PATH (ROLE)" line per file (null: quiet).
    /// </summary>
    public static ResultFiles Plan(IEnumerable<NamedPath> inputs, IEnumerable<NamedPath> outputs, TextWriter stdout, TextWriter? log)
    {
        var given = outputs.Where(o => o.Path is not null).ToList();
        Check(inputs, given.Where(o => o.Path != "-"), probe: true);
        return new ResultFiles(given, stdout, log);
    }

    /// <summary>
    /// The checks alone, for files a command writes itself: each output must not be an input or
    /// another output, must not be a folder, and its folder must exist (and, with
    /// <paramref name="probe"/>, take new files).
    /// </summary>
    public static void Check(IEnumerable<NamedPath> inputs, IEnumerable<NamedPath> outputs, bool probe)
    {
        var inputList = inputs.Where(i => i.Path is not null).ToList();
        var outputList = outputs.Where(o => o.Path is not null).ToList();
        for (int k = 0; k < outputList.Count; k++)
        {
            var (option, path, _) = outputList[k];
            string full = Path.GetFullPath(path!);
            if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path!))
            {
                throw new UsageException($"{option} {path} is a folder; give a file name.");
            }

            string folder = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"{option} {path}: the folder {folder} does not exist.");
            }

            foreach (var input in inputList)
            {
                if (FileIdentity.Same(path!, input.Path!))
                {
                    throw new UsageException($"{option} {path} is the {input.Option} input {input.Path}: writing it would replace the input; choose another file.");
                }
            }

            foreach (var other in outputList.Take(k))
            {
                if (FileIdentity.Same(path!, other.Path!))
                {
                    throw new UsageException($"{other.Option} {other.Path} and {option} {path} are the same file; give each output its own file.");
                }
            }
        }

        if (probe)
        {
            foreach (var output in outputList)
            {
                Probe(output);
            }
        }
    }

    /// <summary>Registers what an output holds; made only at <see cref="Commit"/>, and only if the option was given.</summary>
    public void Add(string option, Func<string> text) => contents[option] = text;

    /// <summary>Writes every registered output, all or none, then prints one line per file written.</summary>
    public void Commit()
    {
        var files = outputs.Where(o => o.Path != "-" && contents.ContainsKey(o.Option)).ToList();
        var staged = new List<(NamedPath Output, string Target, string Temporary)>();
        var replaced = new List<(string Target, string? Backup)>();
        try
        {
            foreach (var output in files)
            {
                string target = Path.GetFullPath(output.Path!);
                string temporary = Sibling(target, "tmp");
                leftovers.Add(temporary);
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(Utf8.GetBytes(contents[output.Option]()));
                    stream.Flush(flushToDisk: true);
                }

                staged.Add((output, target, temporary));
            }

            // Every file is complete on disk: now the renames, each atomic; a failure undoes the earlier ones.
            foreach (var (_, target, temporary) in staged)
            {
                if (File.Exists(target))
                {
                    string backup = Sibling(target, "bak");
                    leftovers.Add(backup);
                    File.Replace(temporary, target, backup);
                    replaced.Add((target, backup));
                }
                else
                {
                    File.Move(temporary, target);
                    replaced.Add((target, null));
                }
            }
        }
        catch
        {
            for (int i = replaced.Count - 1; i >= 0; i--)
            {
                var (target, backup) = replaced[i];
                if (backup is null)
                {
                    File.Delete(target);
                }
                else
                {
                    File.Move(backup, target, overwrite: true);
                }
            }

            throw;
        }
        finally
        {
            Cleanup();
        }

        foreach (var output in outputs.Where(o => o.Path == "-" && contents.ContainsKey(o.Option)))
        {
            stdout.Write(contents[output.Option]());
        }

        foreach (var (output, _, _) in staged)
        {
            log?.WriteLine($"wrote {output.Path} ({output.Role})");
        }
    }

    /// <summary>Removes temporaries and backups (all of them after a commit, or after a failed run).</summary>
    public void Dispose() => Cleanup();

    private void Cleanup()
    {
        foreach (string file in leftovers)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary is hidden and harmless; the run's own error matters more.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        leftovers.Clear();
    }

    /// <summary>A hidden file beside the target, in the same folder so that the rename is atomic.</summary>
    private static string Sibling(string target, string suffix)
    {
        string name = Path.GetFileName(target);
        string stem = name.Length > 200 ? name[..200] : name;
        return Path.Combine(Path.GetDirectoryName(target)!, $".{stem}.{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.{suffix}");
    }

    /// <summary>Creates and deletes a file in the output's folder, so that a folder that refuses new files fails before any work.</summary>
    private static void Probe(NamedPath output)
    {
        string target = Path.GetFullPath(output.Path!);
        string probe = Sibling(target, "tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string why = ex is UnauthorizedAccessException ? "permission denied" : "the folder refuses new files";
            throw new UsageException($"{output.Option} {output.Path}: cannot create a file in the folder {Path.GetDirectoryName(target)} ({why}).");
        }
        finally
        {
            if (File.Exists(probe))
            {
                File.Delete(probe);
            }
        }
    }
}
