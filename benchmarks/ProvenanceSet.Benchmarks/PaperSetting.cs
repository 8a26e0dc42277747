using System.Diagnostics;
using System.Globalization;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// <c>--paper</c>: the paper's setting end to end from an in-memory matrix (50 candidates, 2 sources,
/// N = 100 000, R = 1 000, every core), with wall time, managed allocations and the peak resident set
/// of the Compute call. <c>--export-matrix FILE [m n]</c> writes the simulated matrix as raw little-endian
/// float64 (candidate-major), so that the NumPy reference runs on the very same numbers.
/// </summary>
internal static class PaperSetting
{
    public static int Run(TextWriter output)
    {
        var matrix = Shapes.Pool(50, 100_000);
        long floatMatrixBytes = 50L * 100_000 * sizeof(float);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paper setting: 50 candidates (2 sources) x 100000 prompts, R = 1000, {Environment.ProcessorCount} threads; float32 matrix = {floatMatrixBytes / 1e6:F1} MB"));

        foreach (EarlyStopping mode in new[] { EarlyStopping.WhenDecided, EarlyStopping.None, EarlyStopping.Sequential })
        {
            foreach (string run in new[] { "first call", "second call" })
            {
                var options = ProvenanceOptions.Default with { Permutations = 1000, EarlyStopping = mode };
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long rssBefore = Status("VmRSS");
                ResetPeak();
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                var result = ModelProvenanceSet.Compute(matrix, options);
                double seconds = clock.Elapsed.TotalSeconds;
                long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                long peak = Status("VmHWM");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {mode,-11} {run,-11} {seconds,6:F2} s  set = {{{string.Join(", ", result.Set)}}}  rounds per step = {string.Join("/", result.Steps.Select(s => s.PermutationsRun))}  "
                    + $"allocated {allocated / 1e6:F1} MB  peak RSS - RSS before = {(peak - rssBefore) / 1e6:F1} MB ({(double)(peak - rssBefore) / floatMatrixBytes:F2} x float32 matrix)"));
            }
        }

        return 0;
    }

    public static int Export(string[] args)
    {
        var (path, m, n) = Shapes.ExportArguments(args, "--export-matrix", 100_000);
        var matrix = Shapes.Pool(m, n);
        using var file = File.Create(path);
        using var writer = new BinaryWriter(file);
        for (int i = 0; i < m; i++)
        {
            foreach (double value in matrix.GetRow(i))
            {
                writer.Write(value);
            }
        }

        Console.WriteLine($"wrote {m} x {n} float64 (candidate-major) to {path}");
        return 0;
    }

    // Linux: the resident set (VmRSS) and its peak (VmHWM) in bytes; writing 5 to clear_refs resets the peak.
    private static long Status(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return Process.GetCurrentProcess().PeakWorkingSet64;
        }

        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
