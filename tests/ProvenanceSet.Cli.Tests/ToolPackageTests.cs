using System.Diagnostics;
using System.Text.Json;

namespace ModelProvenance.Cli.Tests;

/// <summary>
/// The .NET tool as a user gets it: the CLI project packed (from the build the test run already made),
/// installed with <c>dotnet tool install</c> from that folder, and run as <c>mps</c>.
/// </summary>
public class ToolPackageTests
{
    [Fact]
    public void PackedTool_Installs_AndRunsAsMps()
    {
        using var dir = new TempFolder();
        string root = RepositoryRoot();
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string packages = Path.Combine(dir.Path, "artifacts"), tools = Path.Combine(dir.Path, "tools");

        Run("dotnet", root, "pack", Path.Combine("src", "ProvenanceSet.Cli", "ProvenanceSet.Cli.csproj"), "-c", configuration, "--no-build", "-o", packages);
        string package = Assert.Single(Directory.GetFiles(packages, "ProvenanceSet.Tool.*.nupkg"));
        string version = Path.GetFileNameWithoutExtension(package)["ProvenanceSet.Tool.".Length..];

        Run("dotnet", dir.Path, "tool", "install", "ProvenanceSet.Tool", "--tool-path", tools, "--add-source", packages, "--version", version);
        string mps = Path.Combine(tools, OperatingSystem.IsWindows() ? "mps.exe" : "mps");
        Assert.True(File.Exists(mps), $"dotnet tool install made no '{mps}'");

        Assert.Contains(version, Run(mps, dir.Path, "--version"), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(Run(mps, dir.Path, "demo", "--quiet", "--json", "-"));
        Assert.Equal(["model-31", "model-38"], json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
    }

    private static string Run(string file, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file)
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

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 4 minutes.");
        }

        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProvenanceSet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ProvenanceSet.sln not found above the test folder.");
    }
}
