using System.Diagnostics;
using System.Text.Json;
using ProvenanceSet.Collection.Prompts;

namespace ProvenanceSet.Collection.Tests;

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mps-collect-" + Guid.NewGuid().ToString("N"));

    public string File(string name, string contents)
    {
        string path = Combine(name);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process killed by a test may still hold a file for a moment.
        }
    }
}

/// <summary>Reads an outputs file as the tests check it: every line, in order.</summary>
internal static class OutputsLines
{
    public static List<(string Model, string PromptId, string Output)> Read(string path)
    {
        var records = new List<(string, string, string)>();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            records.Add((json.RootElement.GetProperty("model").GetString()!, json.RootElement.GetProperty("prompt_id").GetString()!, json.RootElement.GetProperty("output").GetString()!));
        }

        return records;
    }

    /// <summary>Every (model, prompt) exactly once, with the server's answer.</summary>
    public static void AssertExactlyOnce(string path, IReadOnlyList<string> models, IReadOnlyList<PromptRecord> prompts, Func<string, string, string?> answer)
    {
        string text = File.ReadAllText(path);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the file must end with a complete line");
        var records = Read(path);
        var byKey = records.GroupBy(r => (r.Model, r.PromptId)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(byKey, pair => Assert.True(pair.Value.Count == 1, $"({pair.Key.Model}, {pair.Key.PromptId}) appears {pair.Value.Count} times"));
        Assert.Equal(models.Count * prompts.Count, records.Count);
        foreach (string model in models)
        {
            foreach (var prompt in prompts)
            {
                Assert.True(byKey.TryGetValue((model, prompt.Id), out var found), $"({model}, {prompt.Id}) is missing");
                Assert.Equal(answer(model, prompt.Text), found[0].Output);
            }
        }
    }
}

/// <summary>Runs the real <c>mps</c> executable in its own process.</summary>
internal static class MpsProcess
{
    private static readonly string MpsDll = System.IO.Path.Combine(AppContext.BaseDirectory, "mps-cli", "mps.dll");

    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo Info(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(MpsDll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No test touches the user's fingerprint cache: the default cache folder is one beside the tests.
        info.Environment["XDG_CACHE_HOME"] = System.IO.Path.Combine(AppContext.BaseDirectory, "test-cache-home");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>
    /// <see cref="Info"/> for a program run in the foreground of a terminal, where Ctrl+C reaches it: SIGINT at
    /// its default. A test host started in the background of a script inherits SIGINT ignored (POSIX), its
    /// children too, and .NET keeps an ignored SIGINT ignored; coreutils' <c>env --default-signal</c> resets it.
    /// </summary>
    public static ProcessStartInfo ForegroundInfo(string workingDirectory, params string[] args)
    {
        var info = Info(workingDirectory, null, args);
        info.ArgumentList.Insert(0, "dotnet");
        info.ArgumentList.Insert(0, "--default-signal=INT");
        info.FileName = "env";
        return info;
    }

    public static Task<Run> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    public static async Task<Run> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(Info(workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mps {string.Join(' ', args)} did not finish in 2 minutes.");
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
