using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// The quick mode of the interface spec (§5): for every kernel variant and shape, one line
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
}
