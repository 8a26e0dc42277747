using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// The quick mode (<c>--quick</c>): for every kernel variant and shape, one line
/// <c>&lt;variant&gt; m=&lt;m&gt; n=&lt;n&gt; threads=&lt;t&gt; &lt;number&gt; cell-permutations/s</c>,
/// where cells = active candidates × prompts × permutation rounds run, all cores in use (median of three
/// half-second runs per line).
/// </summary>
internal static class QuickBenchmark
{
    private static readonly (int M, int N)[] ShapeGrid = [(10, 1_000), (50, 1_000), (200, 1_000), (10, 20_000), (50, 20_000), (200, 20_000), (50, 100_000)];

    public static int Run(TextWriter output)
    {
        int threads = Environment.ProcessorCount;
        // Variants whose vectors the CPU would only emulate are skipped: their speed means nothing.
        var kernels = Enum.GetValues<KernelChoice>()
            .Where(k => k != KernelChoice.Auto && KernelSelection.IsHardwareAccelerated(k))
            .Select(KernelSelection.Resolve);
        var stream = new RoundStream(1, 0, 0);
        foreach (var kernel in kernels)
        {
            foreach (var (m, n) in ShapeGrid)
            {
                var step = Shapes.FirstStep(m, n);
                // Warm up, size a run to about half a second, then report the median of three runs
                // (the machine this was written on is a shared VM whose speed drifts from second to second).
                NullDistribution.MonteCarlo(step, kernel, stream, 2 * kernel.RoundsPerPass, -1, null, CancellationToken.None);
                var clock = Stopwatch.StartNew();
                int rounds = 4 * kernel.RoundsPerPass;
                NullDistribution.MonteCarlo(step, kernel, stream, rounds, -1, null, CancellationToken.None);
                double perRound = clock.Elapsed.TotalSeconds / rounds;
                rounds = (int)Math.Clamp(0.5 / perRound, 4, 100_000);
                var rates = new double[3];
                for (int rep = 0; rep < rates.Length; rep++)
                {
                    clock.Restart();
                    NullDistribution.MonteCarlo(step, kernel, stream, rounds, -1, null, CancellationToken.None);
                    rates[rep] = (double)m * n * rounds / clock.Elapsed.TotalSeconds;
                }

                Array.Sort(rates);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kernel.Name} m={m} n={n} threads={threads} {rates[1]:F0} cell-permutations/s"));
            }
        }

        return 0;
    }

    /// <summary>
    /// <c>--throughput</c>: one step's null distribution through <see cref="NullDistribution"/> (the procedure's scheduler), a
    /// warm-up then <c>--reps</c> timed runs, one line each and the medians, in 10⁹ cells per second of wall-clock time and
    /// per second of the CPU time the process used (the second is less sensitive to other processes on a shared machine).
    /// Defaults: the target's shape (m = 50, N = 100 000, R = 1 000), every core, the automatic kernel, 5 runs. Short enough
    /// to alternate two builds run by run (A/B) on a shared machine: options <c>--m --n --rounds --reps --threads --group
    /// --kernel</c> (auto, reference, scalar or vector).
    /// </summary>
    public static int Throughput(TextWriter output, string[] args)
    {
        string Arg(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int Number(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        int m = Number("--m", 50), n = Number("--n", 100_000), rounds = Number("--rounds", 1000), reps = Number("--reps", 5);
        int threads = Number("--threads", -1), group = Number("--group", 1);
        var kernel = KernelSelection.Resolve(Enum.Parse<KernelChoice>(Arg("--kernel", "auto"), ignoreCase: true));
        var step = Shapes.FirstStep(m, n, group);
        var stream = new RoundStream(1, 0, 0);
        NullDistribution.MonteCarlo(step, kernel, stream, Math.Min(rounds, 64), threads, null, CancellationToken.None);
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
