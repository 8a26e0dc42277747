using System.Text.Json;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The packages as they are published: every package packed by <c>.ci/check-packages</c> (the libraries, the
/// ProvenanceSet.Tool pointer package and this platform's tool package) and checked by it; then the tool
/// installed with <c>dotnet tool install</c> from that folder and run as <c>mps</c>.
/// </summary>
[Trait("Category", "Build")]
[Collection(ToolBuildsTakeTurns.Name)]
public class ToolPackageTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    [Fact]
    public void EveryPackage_PassesThePackageChecks()
    {
        Assert.True(packed.ExitCode == 0, $".ci/check-packages exited {packed.ExitCode}:\n{packed.Output}");
        Assert.Contains(" 0 problems", packed.Output, StringComparison.Ordinal);
        string rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        Assert.Single(Directory.GetFiles(packed.Folder, $"ProvenanceSet.Tool.{rid}.*.nupkg"));
        Assert.Single(Directory.GetFiles(packed.Folder, "ProvenanceSet.Tool.?.*.nupkg"));
        Assert.Single(Directory.GetFiles(packed.Folder, "ProvenanceSet.?.*.snupkg"));
    }

    [Fact]
    public void PackedTool_Installs_AndRunsAsMps()
    {
        using var dir = new TempFolder();
        string tools = Path.Combine(dir.Path, "tools");
        string package = Assert.Single(Directory.GetFiles(packed.Folder, "ProvenanceSet.Tool.?.*.nupkg"));
        string version = Path.GetFileNameWithoutExtension(package)["ProvenanceSet.Tool.".Length..];

        // The pointer package sends 'dotnet tool install' to this platform's package in the same folder.
        Run("dotnet", dir.Path, "tool", "install", "ProvenanceSet.Tool", "--tool-path", tools, "--add-source", packed.Folder, "--version", version);
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

/// <summary>The packages, packed and checked once for the tests of <see cref="ToolPackageTests"/>.</summary>
public sealed class PackedPackages : IDisposable
{
    private readonly TempFolder _dir = new();

    public PackedPackages()
    {
        Folder = Path.Combine(_dir.Path, "artifacts");
        var run = MpsProcess.Exec("bash", Repository.Root, TimeSpan.FromMinutes(8), Path.Combine(".ci", "check-packages"), "--out", Folder);
        (ExitCode, Output) = (run.ExitCode, run.Stdout + run.Stderr);
    }

    /// <summary>The folder that holds the packages.</summary>
    public string Folder { get; }

    /// <summary>The exit code of <c>.ci/check-packages</c>.</summary>
    public int ExitCode { get; }

    /// <summary>What <c>.ci/check-packages</c> printed: a line per package and every problem found.</summary>
    public string Output { get; }

    public void Dispose() => _dir.Dispose();
}
