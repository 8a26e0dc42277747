using System.Globalization;
using ProvenanceSet.Data;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;

namespace ProvenanceSet;

/// <summary>
/// The front door: computes the Model Provenance Set of a target model from the distances between
/// its outputs and each candidate's outputs.
/// </summary>
/// <example>
/// <code>
/// var matrix = DistanceMatrix.ReadCsv("distances.csv");
/// ProvenanceResult result = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Alpha = 0.01 });
/// Console.WriteLine(string.Join(", ", result.Set));
/// </code>
/// </example>
public static class ModelProvenanceSet
{
    /// <summary>
    /// Runs the sequential test-and-exclude procedure (docs/algorithm.md): while the permutation test of
    /// "all remaining candidates are equally far from the target" rejects at level α (with the
    /// running maximum of p), the closest remaining candidate enters the set.
    /// </summary>
    /// <param name="matrix">The M × N distance matrix (M ≥ 2 candidates, N ≥ 2 prompts, finite values).</param>
    /// <param name="options">Settings; null for <see cref="ProvenanceOptions.Default"/>.</param>
    /// <param name="progress">Optional progress, reported once per batch of permutation rounds (from worker threads).</param>
    /// <param name="cancellationToken">Checked once per batch.</param>
    /// <returns>The set, every step, every candidate's inclusion p-value and NI-Score, and diagnostics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (<see cref="ProvenanceOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException">Fewer than 2 candidates or prompts; a NaN or infinite distance; duplicate or
    /// empty names; the target listed among its candidates; prompt groups that do not match the prompts; R too small to
    /// ever reject at α; exact mode with more than 10^6 relabellings (or too few to ever reject).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// Results are bit-identical for the same seed whatever the number of threads and whichever
    /// permutation kernel runs (see docs/determinism.md).
    /// Degenerate but legal data (zero-variance candidates, identical candidates, heavy ties) does not throw:
    /// it is reported in <see cref="ProvenanceResult.Diagnostics"/>.
    /// Distances of any finite size give finite statistics: the statistics are scale-invariant, and a matrix
    /// whose largest |value| is far from 1 is divided internally by a power of two (exact), so its results
    /// equal those of the same matrix at an ordinary scale; mean distances stay in the input's units.
    /// </remarks>
    public static ProvenanceResult Compute(
        IDistanceMatrix matrix,
        ProvenanceOptions? options = null,
        IProgress<ProvenanceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        options = (options ?? ProvenanceOptions.Default).Validate();
        var data = PreparedMatrix.Create(matrix, options.PromptGroups);
        if (options.Variant == ProvenanceVariant.Robust)
        {
            CheckRobust(options, data);
        }
        else
        {
            CheckCanReject(options, data);
        }

        var result = SequentialProcedure.Run(data, options, KernelSelection.Resolve(options.Kernel), progress, cancellationToken);
        return SamplingNotes(options, data) is { Count: > 0 } notes ? result with { Diagnostics = [.. result.Diagnostics, .. notes] } : result;
    }

    /// <summary>
    /// What sampling cannot fix on a small problem: when the relabellings that move every prompt alike (and leave T
    /// unchanged) are more than alpha of all of them, no candidate can ever enter the set; when there are fewer
    /// relabellings than rounds, enumerating them is exact and cheaper.
    /// </summary>
    private static List<string> SamplingNotes(ProvenanceOptions options, PreparedMatrix data)
    {
        var notes = new List<string>();
        if (options.Exact || options.Variant != ProvenanceVariant.Faithful)
        {
            return notes;
        }

        long count = ExactRelabellings.Count(data.CandidateCount, data.GroupCount, ProvenanceOptions.MaxExactRelabellings);
        if (count < 0)
        {
            return notes;
        }

        long alike = ExactRelabellings.Count(data.CandidateCount, 1, ProvenanceOptions.MaxExactRelabellings);
        string units = data.GroupCount == data.PromptCount ? "prompts" : "prompt groups";
        if ((double)alike / count > options.Alpha)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"No candidate can enter the set at alpha = {options.Alpha}: with {data.CandidateCount} candidates and {data.GroupCount} {units} there are {count} relabellings, and the {alike} that relabel every one alike leave the statistic unchanged, so no p-value can be below {alike}/{count} = {(double)alike / count:G4}. Add {units} or raise alpha."));
        }

        if (count <= options.Permutations)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"There are only {count} distinct relabellings of {data.CandidateCount} candidates over {data.GroupCount} {units}, no more than the {options.Permutations} rounds sampled per step: exact enumeration (--exact, ProvenanceOptions.Exact) gives the exact p-values at less cost."));
        }

        return notes;
    }

    private static void CheckRobust(ProvenanceOptions options, PreparedMatrix data)
    {
        if (RobustStep.TooSmall(data.CandidateCount) is string problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        if (options.Exact)
        {
            throw new ArgumentException("Exact enumeration applies to the faithful variant only: the robust variant's null is simulated.", nameof(options));
        }

        CheckRoundsCanReject(options);
    }

    private static void CheckCanReject(ProvenanceOptions options, PreparedMatrix data)
    {
        if (options.Exact)
        {
            long count = ExactRelabellings.Count(data.CandidateCount, data.GroupCount, ProvenanceOptions.MaxExactRelabellings);
            if (count < 0)
            {
                throw new ArgumentException(
                    $"Exact mode would enumerate (m!)^G relabellings with m = {data.CandidateCount} candidates and G = {data.GroupCount} "
                    + $"{(data.GroupCount == data.PromptCount ? "prompts" : "groups")}, more than {ProvenanceOptions.MaxExactRelabellings:N0}: "
                    + "use Monte Carlo permutations instead.", nameof(options));
            }

            // The m! relabellings that move every prompt (group) alike only reorder the candidates, so they
            // leave T unchanged and always count: the smallest attainable p-value is m!/(m!)^G.
            long alike = ExactRelabellings.Count(data.CandidateCount, 1, ProvenanceOptions.MaxExactRelabellings);
            double smallest = (double)alike / count;
            if (smallest > options.Alpha)
            {
                string units = data.GroupCount == data.PromptCount ? "prompts" : "groups";
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Exact mode has {count} relabellings, but the {alike} that relabel every one of the {data.GroupCount} {units} alike leave T unchanged, so the smallest p-value is {alike}/{count} = {smallest:G4} > alpha = {options.Alpha}: no candidate could ever enter the set (sampled permutations cannot either). Use more {units} or a larger alpha."), nameof(options));
            }

            return;
        }

        CheckRoundsCanReject(options);
    }

    private static void CheckRoundsCanReject(ProvenanceOptions options)
    {
        if (options.PValueEstimator == PValueEstimator.PlusOne && 1.0 / (options.Permutations + 1.0) > options.Alpha)
        {
            double needed = Math.Ceiling((1 / options.Alpha) - 1);
            string advice = needed <= int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"Use at least {needed:0} permutations.")
                : string.Create(CultureInfo.InvariantCulture, $"No number of permutations can reach it (at most {int.MaxValue}, smallest p-value {1.0 / (int.MaxValue + 1.0):G3}): choose alpha of at least {1.0 / (int.MaxValue + 1.0):G3}, or exact enumeration on a small problem.");
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"With {options.Permutations} permutations the smallest p-value is 1/({options.Permutations}+1) = {1.0 / (options.Permutations + 1.0):G4} > alpha = {options.Alpha}: no candidate could ever enter the set. {advice}"), nameof(options));
        }
    }
}
