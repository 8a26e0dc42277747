using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Data;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// <c>--end-to-end FILE [R [seed]]</c>: what <c>mps test --matrix FILE --permutations R --seed seed</c> spends its time on,
/// measured inside one process: reading the CSV (a first call, as the command makes it), <see cref="ModelProvenanceSet.Compute"/>
/// on the matrix (first and second call: the second has no JIT in it), and the kernel alone: every step's rounds, as many as
/// the procedure ran, through <see cref="NullDistribution"/> on every core, with nothing else (no statistics, no assumption
/// check, no result); then the assumption check alone (its split of the prompts and its step). Compare with the command's wall
/// time to see what start-up and the output cost.
/// </summary>
internal static class EndToEndBenchmark
{
    public static int Run(TextWriter output, string[] args)
    {
        int at = Array.IndexOf(args, "--end-to-end");
        string path = args[at + 1];
        int rounds = args.Length > at + 2 ? int.Parse(args[at + 2], CultureInfo.InvariantCulture) : 1000;
        ulong seed = args.Length > at + 3 ? ulong.Parse(args[at + 3], CultureInfo.InvariantCulture) : 0;
        long bytes = new FileInfo(path).Length;

        var clock = Stopwatch.StartNew();
        var matrix = DistanceMatrix.ReadCsv(path);
        double read = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {matrix.CandidateCount} candidates x {matrix.PromptCount} prompts, R = {rounds}, seed {seed}, {Environment.ProcessorCount} threads"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  read csv (first call)      {read,7:F3} s  {bytes / read / 1e6,6:F0} MB/s"));

        var options = ProvenanceOptions.Default with { Permutations = rounds, Seed = seed };
        ProvenanceResult result = null!;
        foreach (string call in new[] { "first", "second" })
        {
            var timeline = new Timeline();
            clock.Restart();
            result = ModelProvenanceSet.Compute(matrix, options, timeline);
            double total = clock.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Compute ({call} call)      {total,7:F3} s  set = {{{string.Join(", ", result.Set)}}}"));
            if (call == "second")
            {
                // Where Compute's wall time goes: each step from its first progress report to its last, and what lies between.
                double previous = 0;
                foreach (var (step, first, last, done) in timeline.Steps())
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    before step {step}: {first - previous,6:F3} s; step {step} ({done} rounds): {last - first,6:F3} s"));
                    previous = last;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    after the last step (assumption check, result): {total - previous,6:F3} s"));
            }
        }

        // The kernel alone: the same steps (active sets) and as many rounds as each ran, on every core.
        var prepared = PreparedMatrix.Create(matrix, null);
        var kernel = KernelSelection.Best;
        double kernelSeconds = 0;
        long cells = 0;
        foreach (var step in result.Steps)
        {
            var data = prepared.BuildStep([.. step.ActiveCandidates]);
            int run = (int)step.PermutationsRun;
            NullDistribution.MonteCarlo(data, kernel, new RoundStream(seed, step.Index, 0), Math.Min(run, 2 * kernel.RoundsPerPass), -1, null, CancellationToken.None); // warm
            clock.Restart();
            NullDistribution.MonteCarlo(data, kernel, new RoundStream(seed, step.Index, 0), run, -1, null, CancellationToken.None);
            double seconds = clock.Elapsed.TotalSeconds;
            kernelSeconds += seconds;
            cells += (long)step.ActiveCount * matrix.PromptCount * run;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  kernel step {step.Index}: m = {step.ActiveCount}, {run} rounds  {seconds,7:F3} s  {(double)step.ActiveCount * matrix.PromptCount * run / seconds / 1e9,5:F2} Gcells/s"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  kernel only, all steps     {kernelSeconds,7:F3} s  {cells / kernelSeconds / 1e9,5:F2} Gcells/s ({cells / 1e9:F2} G cells; the assumption check's step is not in it)"));

        // The command also runs the assumption check: its own split of the prompts and one step of permutations on it.
        AssumptionChecks.For(prepared, options, kernel, result.Steps, CancellationToken.None); // warm
        clock.Restart();
        var checks = AssumptionChecks.For(prepared, options, kernel, result.Steps, CancellationToken.None);
        double checkSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  assumption check alone     {checkSeconds,7:F3} s  ({string.Join(", ", checks.Select(c => c.Name))}); kernel and check {kernelSeconds + checkSeconds:F3} s"));
        return 0;
    }

    /// <summary>Progress reports with their times, recorded on the reporting thread.</summary>
    private sealed class Timeline : IProgress<ProvenanceProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(double Seconds, ProvenanceProgress Report)> _reports = [];

        public void Report(ProvenanceProgress value)
        {
            lock (_reports)
            {
                _reports.Add((_clock.Elapsed.TotalSeconds, value));
            }
        }

        public IEnumerable<(int Step, double First, double Last, long Rounds)> Steps() =>
            _reports.GroupBy(r => r.Report.Step).Select(g => (g.Key, g.Min(r => r.Seconds), g.Max(r => r.Seconds), g.Max(r => r.Report.RoundsCompleted)));
    }
}
