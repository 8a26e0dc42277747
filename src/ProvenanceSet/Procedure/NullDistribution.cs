using ProvenanceSet.Kernels;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Procedure;

/// <summary>
/// Fills a step's permutation null distribution on all cores. Rounds are cut into batches that shrink towards the
/// end; workers take batches in increasing order; each round has its own random stream and its own slot, so the
/// values do not depend on how batches meet threads. An optional <see cref="StopRule"/> is evaluated
/// round by round on the contiguous prefix of finished rounds, so the round at which a step stops is
/// the same for any number of threads.
/// </summary>
internal static class NullDistribution
{
    // About this many cell updates per batch: large enough to amortise scheduling and reading the matrix,
    // small enough for responsive progress, cancellation and early stopping (about 0.1 s on one core).
    private const long CellsPerBatch = 64_000_000;
    private const int PassesPerBatch = 4;

    // Batches per worker kept at the smallest size at the start of a step that may stop early (see BatchStarts).
    private const int SmallBatchesBeforeStop = 4;

    /// <summary>A step's null statistics: T*_r for the rounds that ran, in round order (rounds 0.. of <paramref name="stream"/>).</summary>
    public static double[] MonteCarlo(
        StepData step, IPermutationKernel kernel, RoundStream stream, int rounds,
        int maxDegreeOfParallelism, Action<long>? onRoundsDone, CancellationToken cancellationToken) =>
        MonteCarlo(step, kernel, stream, rounds, null, double.NaN, maxDegreeOfParallelism, onRoundsDone, cancellationToken);

    /// <summary>
    /// A step's null statistics with early stopping: when <paramref name="stop"/> says so after round r
    /// (counting T* ≤ <paramref name="countThreshold"/> in round order), the result holds rounds 1..r only.
    /// </summary>
    public static double[] MonteCarlo(
        StepData step, IPermutationKernel kernel, RoundStream stream, int rounds, StopRule? stop, double countThreshold,
        int maxDegreeOfParallelism, Action<long>? onRoundsDone, CancellationToken cancellationToken)
    {
        var result = new double[rounds];
        long run = RunBatches(step, rounds, kernel.RoundsPerPass, maxDegreeOfParallelism, result, stop, countThreshold, onRoundsDone,
            (first, count) => kernel.RunRounds(step, stream.From(first), result.AsSpan((int)first, count)), cancellationToken);
        return run == rounds ? result : result[..(int)run];
    }

    public static double[] Exact(
        StepData step, long relabellings, int maxDegreeOfParallelism, Action<long>? onRoundsDone, CancellationToken cancellationToken)
    {
        var result = new double[relabellings];
        RunBatches(step, relabellings, 1, maxDegreeOfParallelism, result, null, double.NaN, onRoundsDone,
            (first, count) => ExactRelabellings.Run(step, first, result.AsSpan((int)first, count)), cancellationToken);
        return result;
    }

    /// <summary>Runs the batches; returns how many rounds count (all of them, or the prefix up to the stop).</summary>
    private static long RunBatches(
        StepData step, long rounds, int roundsPerPass, int maxDegreeOfParallelism, double[] result, StopRule? stop, double countThreshold,
        Action<long>? onRoundsDone, Action<long, int> runBatch, CancellationToken cancellationToken)
    {
        int workers = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        long[] starts = BatchStarts(step, rounds, roundsPerPass, workers, stop is not null);
        long batches = starts.Length - 1;
        workers = (int)Math.Min(workers, batches);

        var done = new bool[batches];
        var gate = new object();
        long next = -1, prefixBatches = 0, prefixAtMost = 0, stopRound = -1;
        int stopped = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, workers, options, _ =>
        {
            while (Volatile.Read(ref stopped) == 0)
            {
                long b = Interlocked.Increment(ref next);
                if (b >= batches)
                {
                    return;
                }

                cancellationToken.ThrowIfCancellationRequested();
                runBatch(starts[b], (int)(starts[b + 1] - starts[b]));
                lock (gate)
                {
                    done[b] = true;
                    while (stopRound < 0 && prefixBatches < batches && done[prefixBatches])
                    {
                        for (long r = starts[prefixBatches]; stop is not null && r < starts[prefixBatches + 1]; r++)
                        {
                            if (result[r] <= countThreshold)
                            {
                                prefixAtMost++;
                            }

                            if (stop.ShouldStop(r + 1, prefixAtMost))
                            {
                                stopRound = r + 1;
                                Volatile.Write(ref stopped, 1);
                                break;
                            }
                        }

                        prefixBatches++;
                    }

                    // Progress is the contiguous prefix of finished rounds: it only grows, and it ends at the rounds that count.
                    onRoundsDone?.Invoke(stopRound >= 0 ? stopRound : starts[prefixBatches]);
                }
            }
        });

        return stopRound >= 0 ? stopRound : rounds;
    }

    /// <summary>
    /// Where each batch of rounds starts, and R last. A batch holds about <see cref="CellsPerBatch"/> cells and at least
    /// <see cref="PassesPerBatch"/> kernel passes (a kernel reads the matrix once per batch, so larger batches amortise
    /// that), but no more than half a worker's share of the rounds still to hand out: batches shrink towards the end, down
    /// to <see cref="PassesPerBatch"/> passes, so that no core waits long for another's last batch whatever N is (at
    /// N = 20 000 the last batches drop from 64 rounds to 32, as at N = 100 000; guided self-scheduling). When the step may
    /// stop early (<paramref name="mayStop"/>), the first <see cref="SmallBatchesBeforeStop"/> batches per worker are the
    /// smallest too: a step stops once the finished prefix decides it, and it cannot see a stop inside a batch that is still
    /// running, so large first batches would keep one core on rounds past the stop (at m = 48, N = 20 000, a step that
    /// stopped after 67 rounds waited for a 72-round batch on one core: 0.22 s against 0.09 s for the 67 rounds on both).
    /// Every size is a multiple of the kernel's pass; the sizes do not depend on timing, so neither do the results.
    /// </summary>
    private static long[] BatchStarts(StepData step, long rounds, int roundsPerPass, int workers, bool mayStop)
    {
        long cellsPerRound = Math.Max(1L, (long)step.ActiveCount * step.PromptCount), minimum = (long)PassesPerBatch * roundsPerPass;
        long target = Math.Clamp(CellsPerBatch / cellsPerRound, minimum, 1 << 20);
        long smallUntil = mayStop ? SmallBatchesBeforeStop * workers * minimum : 0;
        var starts = new List<long> { 0 };
        while (starts[^1] < rounds)
        {
            long share = (rounds - starts[^1] + (2L * workers) - 1) / (2L * workers);
            long size = starts[^1] < smallUntil ? minimum
                : Math.Max(minimum, (Math.Min(target, share) + roundsPerPass - 1) / roundsPerPass * roundsPerPass);
            starts.Add(Math.Min(rounds, starts[^1] + size));
        }

        return [.. starts];
    }
}
