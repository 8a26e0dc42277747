using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// <c>--ab BUILD_A BUILD_B [PAIRS] [--throughput options]</c>: two builds of these benchmarks (their output folders), loaded
/// side by side in this process, each in a load context of its own, and their <c>--throughput</c> run alternately: one run
/// of each per pair, the first of a pair alternating between A and B. The machine this was written on drifts by up to 2×
/// within seconds, so separate processes minutes apart cannot tell a 10 % change from the drift; runs a fraction of a
/// second apart can. Prints the geometric mean of B/A over the pairs with its standard error, and each build's median.
/// Options after PAIRS go to <c>--throughput</c> with <c>--reps 1</c>, e.g. <c>--ab a b 100 --rounds 64 --n 20000</c>
/// (about 40 s at m = 50). The same build against itself gave a geometric mean of 0.999 over 100 pairs.
/// </summary>
internal static class AlternatingBuilds
{
    public static int Run(TextWriter output, string[] args)
    {
        int at = Array.IndexOf(args, "--ab");
        if (args.Length < at + 3)
        {
            output.WriteLine("usage: --ab BUILD_A BUILD_B [PAIRS] [--throughput options]");
            return 2;
        }

        var a = Throughput(args[at + 1]);
        var b = Throughput(args[at + 2]);
        bool hasPairs = args.Length > at + 3 && !args[at + 3].StartsWith("--", StringComparison.Ordinal);
        int pairs = hasPairs ? int.Parse(args[at + 3], CultureInfo.InvariantCulture) : 40;
        string[] options = ["--reps", "1", .. args.Skip(at + (hasPairs ? 4 : 3))];
        var ratesA = new List<double>();
        var ratesB = new List<double>();
        for (int pair = 0; pair < pairs; pair++)
        {
            bool aFirst = pair % 2 == 0;
            (aFirst ? ratesA : ratesB).Add((aFirst ? a : b)(options));
            (aFirst ? ratesB : ratesA).Add((aFirst ? b : a)(options));
        }

        double[] logs = [.. ratesA.Zip(ratesB, (x, y) => Math.Log(y / x))];
        double mean = logs.Average();
        double error = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1) / logs.Length);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pairs} pairs: A median {Median(ratesA):F3}, B median {Median(ratesB):F3} Gcells/s; B/A geometric mean {Math.Exp(mean):F3} (standard error {error:P1})"));
        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    // The build's QuickBenchmark.Throughput, in a load context of its own; returns one run's Gcells/s.
    private static Func<string[], double> Throughput(string folder)
    {
        var context = new BuildContext(Path.GetFullPath(folder));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(context.Folder, "ProvenanceSet.Benchmarks.dll"));
        var method = assembly.GetType("ProvenanceSet.Benchmarks.QuickBenchmark", throwOnError: true)!
            .GetMethod(nameof(QuickBenchmark.Throughput), BindingFlags.Public | BindingFlags.Static)!;
        return options =>
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            method.Invoke(null, [writer, options]);
            string median = writer.ToString().Split('\n').First(line => line.StartsWith("median ", StringComparison.Ordinal));
            return double.Parse(median.Split(' ')[1], CultureInfo.InvariantCulture);
        };
    }

    /// <summary>Loads a build's own assemblies from its folder; the framework's come from the default context.</summary>
    private sealed class BuildContext(string folder) : AssemblyLoadContext($"build {folder}")
    {
        public string Folder { get; } = folder;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string path = Path.Combine(Folder, assemblyName.Name + ".dll");
            return File.Exists(path) && !assemblyName.Name!.StartsWith("System.", StringComparison.Ordinal) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
