using System.Text.Json;

namespace ProvenanceSet.Cli.Tests;

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
        string root = Repository.Root;
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

    /// <summary>Runs a program that must succeed; returns its standard output.</summary>
    private static string Run(string file, string workingDirectory, params string[] args)
    {
        var run = MpsProcess.Exec(file, workingDirectory, TimeSpan.FromMinutes(4), args);
        Assert.True(run.ExitCode == 0, $"{Path.GetFileName(file)} {string.Join(' ', args)} exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        return run.Stdout;
    }
}
