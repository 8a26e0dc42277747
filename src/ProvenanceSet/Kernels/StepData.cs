using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// What the permutation kernels read in one step: the active candidates' centred distances
/// e[p, k] = L[A_k, t_p] − c_p, with c_p = mean_j L[A_j, t_p], in stored prompt order (each permutation
/// group one contiguous block of prompts).
/// </summary>
/// <remarks>
/// Built by <see cref="Procedure.PreparedMatrix.BuildStep"/>, a step reads the validated input in place (candidate rows of
/// doubles) plus one centre per prompt: <see cref="FillBlock"/> computes e for a block of prompts when a kernel asks for
/// it, so no copy of the matrix is made per step; the prompt-major <see cref="Values"/> is materialised only for the
/// reference kernel and exact mode. Every reader computes e with the same expression (<c>L − c</c> in double), so the
/// values are the same bits whichever path produced them.
/// </remarks>
/// <param name="rows">Candidate rows read in place: L[i, t] = rows[i · rowStride + t].</param>
/// <param name="rowStride">Doubles from one candidate's row to the next.</param>
/// <param name="active">The active candidates.</param>
/// <param name="order">Stored prompt p is original prompt order[p] (null: the identity).</param>
/// <param name="centres">The centre c_p of stored prompt p.</param>
/// <param name="groupStarts">Group g covers prompts groupStarts[g] .. groupStarts[g+1]−1 (in the stored order).</param>
internal sealed class StepData(double[] rows, long rowStride, int[] active, int[]? order, double[] centres, int[] groupStarts)
{
    private double[]? _values;
    private ShufflePlan? _shufflePlan;
    private SwapTargetPlan? _swapTargets;

    /// <summary>Prompt-major centred values: <c>Values[p * m + k]</c> (materialised on first use: m × N doubles).</summary>
    public double[] Values => _values ?? LazyInitializer.EnsureInitialized(ref _values, Materialise);

    /// <summary>m, the number of active candidates.</summary>
    public int ActiveCount => active.Length;

    /// <summary>N, the number of prompts.</summary>
    public int PromptCount => centres.Length;

    /// <summary>Group g covers prompts GroupStarts[g] .. GroupStarts[g+1]−1 (in the stored order).</summary>
    public int[] GroupStarts => groupStarts;

    /// <summary>G, the number of permutation groups.</summary>
    public int GroupCount => GroupStarts.Length - 1;

    /// <summary>How a permutation of the m active candidates is drawn (shared by every kernel).</summary>
    public ShufflePlan ShufflePlan => _shufflePlan ?? LazyInitializer.EnsureInitialized(ref _shufflePlan, () => new ShufflePlan(ActiveCount));

    /// <summary>The same swap targets, computable out of order (the fast kernels).</summary>
    public SwapTargetPlan SwapTargets => _swapTargets ?? LazyInitializer.EnsureInitialized(ref _swapTargets, () => new SwapTargetPlan(ShufflePlan));

    /// <summary>
    /// Writes e for prompts <paramref name="first"/> .. first + count − 1, prompt-major:
    /// <c>destination[(p − first) * m + k]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    public void FillBlock(int first, int count, Span<double> destination)
    {
        int m = ActiveCount;
        // Tiles of 8 prompts, each candidate row one cache line per tile, the tile's m × 8 destination in L1 while written
        // (a candidate's values for a whole span at a stride of m doubles missed L1 on almost every store); spans of a few
        // hundred prompts (ColumnPaths). Candidates in sweeps of 8 over the span: 8 rows read side by side are streams the
        // hardware prefetcher follows, 50 are not (9–15 % on the kernel at m = 50: docs/performance.md).
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count * m, nameof(destination));
        const int Tile = 8, Streams = 8;
        int[]? stored = order; // a local: the loop's stores through a reference would make the JIT reload the field
        ref double destinationStart = ref MemoryMarshal.GetReference(destination);
        for (int from = 0; from < m; from += Streams)
        {
            int to = Math.Min(m, from + Streams);
            for (int tile = 0; tile < count; tile += Tile)
            {
                int width = Math.Min(Tile, count - tile);
                ref double centre = ref centres[first + tile];
                for (int k = from; k < to; k++)
                {
                    ref double row = ref rows[active[k] * rowStride];
                    ref double target = ref Unsafe.Add(ref destinationStart, (tile * m) + k);
                    for (int i = 0, p = first + tile; i < width; i++, p++)
                    {
                        Unsafe.Add(ref target, i * m) = Unsafe.Add(ref row, stored is null ? p : stored[p]) - Unsafe.Add(ref centre, i);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The observed sums S1[k] = Σ_p e[p, k], S2[k] = Σ_p e[p, k]²: the identity relabelling, added over
    /// prompts in stored order like every kernel does, streamed block by block.
    /// </summary>
    public void ObservedSums(Span<double> s1, Span<double> s2)
    {
        const int Block = 256;
        int m = ActiveCount;
        s1.Clear();
        s2.Clear();
        var buffer = new double[Block * m];
        for (int first = 0; first < PromptCount; first += Block)
        {
            int count = Math.Min(Block, PromptCount - first);
            FillBlock(first, count, buffer);
            for (int p = 0; p < count; p++)
            {
                for (int k = 0; k < m; k++)
                {
                    SumAndSquareOperator.Invoke(ref s1[k], ref s2[k], buffer[(p * m) + k]);
                }
            }
        }
    }

    private double[] Materialise()
    {
        var values = new double[(long)PromptCount * ActiveCount];
        FillBlock(0, PromptCount, values);
        return values;
    }
}
