using System.Diagnostics;

namespace ProvenanceSet.Cli.Tests;

/// <summary>Runs the real <c>mps</c> executable in its own process, as a user would.</summary>
internal static class MpsProcess
{
    private static readonly string MpsDll = Path.Combine(AppContext.BaseDirectory, "mps.dll");

    /// <summary>XDG_CACHE_HOME of every process the tests start (unless a test sets its own).</summary>
    public static readonly string TestCacheHome = Path.Combine(AppContext.BaseDirectory, "test-cache-home");

    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static Run Start(string workingDirectory, params string[] args) =>
        Exec("dotnet", workingDirectory, TimeSpan.FromMinutes(3), [MpsDll, .. args]);

    /// <summary>Runs any program in its own process and waits for it (killed, with an exception, after the timeout).</summary>
    public static Run Exec(string fileName, string workingDirectory, TimeSpan timeout, params string[] args) =>
        Exec(fileName, workingDirectory, timeout, new Dictionary<string, string>(), args);

    /// <summary>Runs <c>mps</c> with extra environment variables.</summary>
    public static Run StartWith(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args) =>
        Exec("dotnet", workingDirectory, TimeSpan.FromMinutes(3), environment, [MpsDll, .. args]);

    /// <summary>Runs a shell command line (the mps executable is <c>$MPS</c>, e.g. <c>dotnet "$MPS" demo &gt; log.txt</c>).</summary>
    public static Run Shell(IReadOnlyDictionary<string, string> environment, string workingDirectory, string commandLine) =>
        Exec("bash", workingDirectory, TimeSpan.FromMinutes(3), new Dictionary<string, string>(environment) { ["MPS"] = MpsDll }, "-c", commandLine);

    /// <summary>Runs any program with extra environment variables and waits for it.</summary>
    public static Run Exec(string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No test touches the user's fingerprint cache: the default cache folder is one beside the tests.
        info.Environment["XDG_CACHE_HOME"] = TestCacheHome;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', args)} did not finish in {timeout.TotalMinutes} minutes.");
        }

        return new Run(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mps-cli-" + Guid.NewGuid().ToString("N"));

    public string File(string name, string contents)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
