using System.Diagnostics;
using System.Globalization;

namespace ProvenanceSet.Evaluation;

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
            Parts = Value("--parts") is string parts ? parts.Split(',').ToHashSet() : null,
        };
        string path = Run(options);
        Console.WriteLine(path);
        return 0;
    }

    public static string Run(EvaluationOptions options)
    {
        var clock = Stopwatch.StartNew();
        var results = new EvaluationResults();
        if (options.Runs("simulations"))
        {
            options.Log.WriteLine("(a) simulations");
            results.Simulation = new SimulationStudy(options).Run();
        }

        if (options.Runs("battery"))
        {
            options.Log.WriteLine("(b) the false-accusation battery");
            results.Battery = new Battery.BatteryStudy(options).Run();
            foreach (var row in results.Battery.Value.Rows)
            {
                options.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {row.Design.Label} | {row.Method} | FI {row.FalseInclusion:0.000} ± {row.FalseInclusionError:0.000} | coverage {row.Coverage:0.000} | size {row.MeanSetSize:0.00}"));
            }
        }

        if (options.Runs("zoo"))
        {
            options.Log.WriteLine("(c) the model zoo");
            results.Zoo = new Zoo.ZooStudy(options).Run();
            foreach (var row in results.Zoo)
            {
                options.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {row.Design} | {(row.SourcesInPool ? "full" : "no sources")} | {row.Method} | coverage {row.Coverage:0.000} | FI {row.FalseInclusion:0.000} | unrelated {row.MeanUnrelated:0.00} | related {row.MeanRelated:0.00}"));
            }
        }

        if (options.RealDataFolder is not null && options.Runs("real"))
        {
            options.Log.WriteLine("(d) real outputs and baselines");
            results.Real = new RealDataStudy(options).Run();
        }

        string path = Report.Write(options, results, Machine());
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

/// <summary>What the studies found (a part that did not run is null).</summary>
internal sealed class EvaluationResults
{
    public List<SimulationRow>? Simulation { get; set; }

    public (List<Battery.BatteryRow> Rows, List<Battery.SeparabilityRow> Separability)? Battery { get; set; }

    public List<Zoo.ZooRow>? Zoo { get; set; }

    public (List<DevCase> Cases, List<RealRow> Rows, List<string> Distances)? Real { get; set; }
}
