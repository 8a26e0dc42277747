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
/// <para>
/// Built by <see cref="Procedure.PreparedMatrix.BuildStep"/>, a step reads the validated input in place
/// (candidate rows of doubles) plus one centre per prompt: <see cref="FillBlock"/> computes e for a block
/// of prompts when a kernel asks for it, so no copy of the matrix is made per step. The prompt-major
/// array <see cref="Values"/> is materialised only when something asks for it (the reference kernel and
/// exact mode, which are not the fast path).
/// </para>
/// <para>
/// The lazy members have an allocation-free fast path once initialised (the reference kernel reads
/// <see cref="Values"/> once per prompt group).
/// </para>
/// <para>
/// Every reader computes e with the same expression (<c>L − c</c> in double), so the values are the
/// same bits whichever path produced them.
/// </para>
/// </remarks>
internal sealed class StepData
{
    private readonly double[] _rows;
    private readonly long _rowStride;
    private readonly int[] _active;
    private readonly int[]? _order;
    private readonly double[] _centres;
    private double[]? _values;
    private ShufflePlan? _shufflePlan;
    private SwapTargetPlan? _swapTargets;

    /// <summary>
    /// A step that reads candidate rows in place: L[i, t] = <paramref name="rows"/>[i · stride + t],
    /// active candidates <paramref name="active"/>, stored prompt p = original prompt
    /// <paramref name="order"/>[p] (null: the identity), centre of stored prompt p = <paramref name="centres"/>[p].
    /// </summary>
    public StepData(double[] rows, long rowStride, int[] active, int[]? order, double[] centres, int[] groupStarts)
    {
        _rows = rows;
        _rowStride = rowStride;
        _active = active;
        _order = order;
        _centres = centres;
        ActiveCount = active.Length;
        PromptCount = centres.Length;
        GroupStarts = groupStarts;
    }

    /// <summary>Prompt-major centred values: <c>Values[p * m + k]</c> (materialised on first use: m × N doubles).</summary>
    public double[] Values => _values ?? LazyInitializer.EnsureInitialized(ref _values, Materialise);

    /// <summary>m, the number of active candidates.</summary>
    public int ActiveCount { get; }

    /// <summary>N, the number of prompts.</summary>
    public int PromptCount { get; }

    /// <summary>Group g covers prompts GroupStarts[g] .. GroupStarts[g+1]−1 (in the stored order).</summary>
    public int[] GroupStarts { get; }

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
    public void FillBlock(int first, int count, Span<double> destination)
    {
        int m = ActiveCount;
        // Tiles of 8 prompts: each candidate row gives one cache line per tile, and the tile's m × 8 destination
        // stays in L1 while it is written candidate by candidate. Writing one candidate's values for a whole
        // span of prompts at a stride of m doubles missed L1 on almost every store. Measured at m = 50,
        // N = 100 000: about 2 ns per value for spans of 96 prompts and more, against 4.5–9 ns before (the
        // kernels therefore ask for spans of a few hundred prompts, see LanesKernel).
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count * m, nameof(destination));
        const int Tile = 8;
        double[] rows = _rows, centres = _centres;
        int[] active = _active;
        ref double destinationStart = ref MemoryMarshal.GetReference(destination);
        for (int tile = 0; tile < count; tile += Tile)
        {
            int width = Math.Min(Tile, count - tile);
            ref double centre = ref centres[first + tile];
            for (int k = 0; k < m; k++)
            {
                ref double row = ref rows[active[k] * _rowStride];
                ref double target = ref Unsafe.Add(ref destinationStart, (tile * m) + k);
                if (_order is null)
                {
                    ref double from = ref Unsafe.Add(ref row, (nint)(first + tile));
                    for (int i = 0; i < width; i++)
                    {
                        Unsafe.Add(ref target, i * m) = Unsafe.Add(ref from, i) - Unsafe.Add(ref centre, i);
                    }
                }
                else
                {
                    ref int order = ref _order[first + tile];
                    for (int i = 0; i < width; i++)
                    {
                        Unsafe.Add(ref target, i * m) = Unsafe.Add(ref row, Unsafe.Add(ref order, i)) - Unsafe.Add(ref centre, i);
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
