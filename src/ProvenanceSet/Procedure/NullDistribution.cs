using ModelProvenance.Kernels;

namespace ModelProvenance.Procedure;

/// <summary>
/// Fills a step's permutation null distribution, split over threads in batches of rounds. Each
/// round has its own random stream, so the values do not depend on how batches meet threads.
/// </summary>
internal static class NullDistribution
{
    // About this many cell updates per batch: large enough to amortise scheduling, small enough
    // for responsive progress and cancellation.
    private const long CellsPerBatch = 4_000_000;

    public static double[] MonteCarlo(
        StepData step, IPermutationKernel kernel, ulong seed, int stepIndex, int rounds,
        int maxDegreeOfParallelism, Action<long>? onRoundsDone, CancellationToken cancellationToken)
    {
        var result = new double[rounds];
        RunBatches(step, rounds, maxDegreeOfParallelism, onRoundsDone,
            (first, count) => kernel.RunRounds(step, seed, stepIndex, first, result.AsSpan((int)first, count)), cancellationToken);
        return result;
    }

    public static double[] Exact(
        StepData step, long relabellings, int maxDegreeOfParallelism, Action<long>? onRoundsDone, CancellationToken cancellationToken)
    {
        var result = new double[relabellings];
        RunBatches(step, relabellings, maxDegreeOfParallelism, onRoundsDone,
            (first, count) => ExactRelabellings.Run(step, first, result.AsSpan((int)first, count)), cancellationToken);
        return result;
    }

    private static void RunBatches(
        StepData step, long rounds, int maxDegreeOfParallelism, Action<long>? onRoundsDone,
        Action<long, int> runBatch, CancellationToken cancellationToken)
    {
        long cellsPerRound = Math.Max(1L, (long)step.ActiveCount * step.PromptCount);
        int batch = (int)Math.Clamp(CellsPerBatch / cellsPerRound, 1, 1 << 20);
        long batches = (rounds + batch - 1) / batch;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0L, batches, options, b =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            long first = b * batch;
            int count = (int)Math.Min(batch, rounds - first);
            runBatch(first, count);
            onRoundsDone?.Invoke(count);
        });
    }
}
