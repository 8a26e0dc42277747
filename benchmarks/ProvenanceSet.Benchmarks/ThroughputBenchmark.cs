using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// <c>--throughput</c>: one step's null distribution through <see cref="NullDistribution"/> (the procedure's scheduler), a
/// warm-up then <c>--reps</c> timed runs, one line each and the median:
/// <c>&lt;kernel&gt; m=&lt;m&gt; n=&lt;n&gt; group=&lt;size&gt; rounds=&lt;R&gt; threads=&lt;t&gt; &lt;number&gt; Gcells/s</c>.
/// Defaults: the target's shape (m = 50, N = 100 000, R = 1 000), every core, the automatic kernel, 5 runs. Short enough
/// to alternate two builds run by run (A/B) on a shared machine: options <c>--m --n --rounds --reps --threads --group
/// --kernel</c> (auto, reference, scalar or vector).
/// </summary>
internal static class ThroughputBenchmark
{
    public static int Run(TextWriter output, string[] args)
    {
        string Arg(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int Number(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        int m = Number("--m", 50), n = Number("--n", 100_000), rounds = Number("--rounds", 1000), reps = Number("--reps", 5);
        int threads = Number("--threads", -1), group = Number("--group", 1);
        var kernel = KernelSelection.Resolve(Enum.Parse<KernelChoice>(Arg("--kernel", "auto"), ignoreCase: true));
        var step = Shapes.FirstStep(m, n, group);
        var stream = new RoundStream(1, 0, 0);
        NullDistribution.MonteCarlo(step, kernel, stream, Math.Min(rounds, 64), threads, null, CancellationToken.None);
        // Wall-clock rate, and the rate per second of CPU time the process used (less sensitive to other processes on a shared machine).
        var rates = new List<double>();
        var cpuRates = new List<double>();
        for (int rep = 0; rep < reps; rep++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            NullDistribution.MonteCarlo(step, kernel, stream, rounds, threads, null, CancellationToken.None);
            double cells = (double)m * n * rounds / 1e9;
            rates.Add(cells / clock.Elapsed.TotalSeconds);
            cpuRates.Add(cells / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kernel.Name} m={m} n={n} group={group} rounds={rounds} threads={threads} {rates[^1]:F3} Gcells/s, {cpuRates[^1]:F3} Gcells per CPU-second"));
        }

        rates.Sort();
        cpuRates.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median {rates[rates.Count / 2]:F3} Gcells/s, {cpuRates[cpuRates.Count / 2]:F3} Gcells per CPU-second"));
        return 0;
    }
}
