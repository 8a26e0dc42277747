using System.Diagnostics;
using System.Globalization;

namespace ModelProvenance.Evaluation;

/// <summary>Runs the studies and writes the report.</summary>
internal static class EvaluationRunner
{
    public static int Run(string[] args)
    {
        string root = RepositoryRoot();
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        string? realData = args.Contains("--no-real") ? null : Value("--realdata") ?? Environment.GetEnvironmentVariable("PROVENANCESET_REALDATA") ?? Path.Combine(root, "..", "shared", "realdata");
        var options = new EvaluationOptions
        {
            Quick = args.Contains("--quick"),
            OutputFolder = Value("--out") ?? Path.Combine(root, "docs"),
            RealDataFolder = realData is not null && File.Exists(Path.Combine(realData, "dev-cases.json")) ? Path.GetFullPath(realData) : null,
            CacheFolder = Value("--cache") ?? Path.Combine(root, "eval", ".cache"),
            SemanticProvider = args.Contains("--no-semantic") ? null : SemanticDistances.Factory(),
        };
        string path = Run(options);
        Console.WriteLine(path);
        return 0;
    }

    public static string Run(EvaluationOptions options)
    {
        var clock = Stopwatch.StartNew();
        options.Log.WriteLine("(a) simulations");
        var simulation = new SimulationStudy(options).Run();
        (List<DevCase>, List<RealRow>, List<string>)? real = null;
        if (options.RealDataFolder is not null)
        {
            options.Log.WriteLine("(b, c) real outputs and baselines");
            real = new RealDataStudy(options).Run();
        }

        string path = Report.Write(options, simulation, real, Machine());
        options.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalMinutes:0.0} min: {path}"));
        return path;
    }

    private static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return $"{Environment.ProcessorCount} cores ({cpu}), .NET {Environment.Version}";
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

        return Directory.GetCurrentDirectory();
    }
}
