using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Kernels;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// <c>--column-paths</c>: the automatic kernel's column paths side by side on grouped data, to place the switch to
/// group permutations. For each m and group size, every path that can run is timed in turn (so slow and fast
/// moments of a shared machine hit every path alike), on one thread, and the median of nine runs is printed:
/// <c>&lt;path&gt; m=&lt;m&gt; n=&lt;n&gt; group=&lt;size&gt; &lt;number&gt; cell-permutations/s</c>.
/// </summary>
internal static class ColumnPathsBenchmark
{
    private const int Runs = 9;
    private const int Rounds = 32;

    private static readonly (int M, int N)[] Shapes = [(10, 50_000), (50, 20_000), (200, 5_000), (300, 4_000)];
    private static readonly int[] GroupSizes = [1, 2, 3, 4, 5, 10];

    public static int Run(TextWriter output)
    {
        int largestM = Shapes.Max(shape => shape.M);
        foreach (var (m, n) in Shapes)
        {
            foreach (int size in GroupSizes)
            {
                var step = Benchmarks.Shapes.FirstStep(m, n, size);
                ColumnKind[] paths = [.. Enum.GetValues<ColumnKind>().Where(c => Worth(c, m))];
                var rates = paths.Select(_ => new List<double>()).ToArray();
                for (int run = -1; run < Runs; run++)
                {
                    for (int i = 0; i < paths.Length; i++)
                    {
                        var clock = Stopwatch.StartNew();
                        Sums(step, paths[i]);
                        if (run >= 0)
                        {
                            rates[i].Add((double)m * n * Rounds / clock.Elapsed.TotalSeconds);
                        }
                    }
                }

                for (int i = 0; i < paths.Length; i++)
                {
                    rates[i].Sort();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{paths[i]} m={m} n={n} group={size} {rates[i][Runs / 2]:F0} cell-permutations/s{(paths[i] == ColumnPaths.For(step) ? " (automatic)" : "")}"));
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// The paths worth timing at m: byte indices (from 128 candidates on for per-prompt columns) up to 256 candidates,
    /// 16-bit indices only above, where bytes cannot index the column.
    /// </summary>
    private static bool Worth(ColumnKind path, int m) => path switch
    {
        ColumnKind.Indices => m is >= 128 and <= 256,
        ColumnKind.GroupPermutations => m <= 256,
        ColumnKind.WideIndices or ColumnKind.WideGroupPermutations => m > 256,
        _ => true,
    };

    private static void Sums(StepData step, ColumnKind path)
    {
        var stream = new RoundStream(1, 0, 0);
        using var scratch = ColumnPaths.Scratch(step, path, Rounds);
        if (KernelSelection.Best is LanesKernel<VectorLanes>)
        {
            LanesKernel<VectorLanes>.Accumulate(step, stream, path, scratch);
        }
        else
        {
            LanesKernel<ScalarLanes>.Accumulate(step, stream, path, scratch);
        }
    }
}
