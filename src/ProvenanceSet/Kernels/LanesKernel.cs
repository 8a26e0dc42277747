using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The fast kernel: permutation rounds side by side (<typeparamref name="TLanes"/>), Fisher–Yates on
/// each prompt's column in L1, swap targets computed out of order in vectors, sums kept in registers.
/// Draws exactly the permutations of <see cref="ScalarReferenceKernel"/> and adds exactly the same
/// values in the same order, so its T* are the same bits.
/// </summary>
/// <remarks>
/// <para>For a batch of rounds, prompt blocks are taken in stored order; for each block and each pass of
/// <c>TLanes.Count</c> rounds:</para>
/// <list type="number">
/// <item>the block's centred values (read from the matrix a span of blocks at a time) are copied once per
/// lane (x), or, from 128 candidates on, each lane gets indices 0..m−1 per prompt instead and reads
/// the values through them (<see cref="IndexColumn{TIndex}"/>, bytes up to 256 candidates, 16-bit above:
/// the same permutation and the same values, with an eighth or a quarter of the working set);</item>
/// <item>every lane draws, at each group start, the accepted words of its permutation from its own
/// stream, the lanes' generators side by side in vectors (<see cref="LaneWords"/>: the same draws and
/// redraws as <see cref="ShufflePlan"/>); a group that continues from the previous block keeps its words;</item>
/// <item>for each Fisher–Yates position j = m−1..1 the swap targets of all prompts and lanes come from
/// one vector operation (<see cref="SwapTargetOperator"/>), then <c>TLanes.Step</c> moves every prompt
/// and lane one step and adds the value that lands on position j to that lane's sums; position 0 last.</item>
/// </list>
/// <para>Only one store per cell (x[k] ← x[j]); the value that lands on position j goes straight into the
/// sum. Scratch comes from <see cref="ArrayPool{T}"/> once per batch; nothing is allocated per round.</para>
/// <para>Prompt groups of 2.5 or more prompts on average take another path (LanesKernel.Groups.cs): one
/// Fisher–Yates per group and lane on an index permutation (bytes, 16-bit above 256 candidates), which every prompt of the group reads its values
/// through, so a cell costs a load instead of a Fisher–Yates step.</para>
/// </remarks>
internal sealed partial class LanesKernel<TLanes> : IPermutationKernel
    where TLanes : struct, IRoundLanes
{
    // Fisher–Yates working set per pass (block × lanes × m doubles): about 38 KiB, inside a 48 KiB L1d,
    // but at least 4 prompts per block so that large m does not drown in per-step overhead.
    private const int WorkingSetDoubles = 4800;
    private const int MaxBlock = 512;

    // Values read from the matrix in one go (a span of whole blocks, about 128 KiB, in L2): reading a span of
    // a few hundred prompts costs 2 ns per value, a 12-prompt block 5–9 ns (N = 100 000, docs/performance.md).
    private const int SpanDoubles = 16384;

    // The smallest m that runs on index columns (bytes up to 256 candidates, 16-bit indices above).
    private const int IndexColumnsFrom = 128;

    // The largest m that index columns and group permutations cover: what a 16-bit index reaches.
    private const int MaxIndexedCandidates = ushort.MaxValue + 1;

    public static LanesKernel<TLanes> Instance { get; } = new();

    public string Name => TLanes.Name;

    public int RoundsPerPass => TLanes.Count;

    /// <summary>Whether the CPU runs this variant's vectors in hardware.</summary>
    public static bool IsHardwareAccelerated => TLanes.IsHardwareAccelerated;

    /// <summary>Prompts per block for m active candidates.</summary>
    public static int BlockPrompts(int m) => Math.Clamp(WorkingSetDoubles / (TLanes.Count * m), 4, MaxBlock);

    /// <summary>Prompts per block with index columns: an index per lane and candidate (1 or 2 bytes), plus the block's values.</summary>
    public static int IndexBlockPrompts(int m, int indexBytes = 1) =>
        Math.Clamp(8 * WorkingSetDoubles / (((TLanes.Count * indexBytes) + 8) * m), 4, MaxBlock);

    public void RunRounds(StepData step, ulong seed, int stepIndex, long firstRound, Span<double> nullStatistics)
    {
        int count = nullStatistics.Length;
        if (count == 0)
        {
            return;
        }

        int m = step.ActiveCount, n = step.PromptCount, lanes = TLanes.Count;
        int passes = (count + lanes - 1) / lanes;
        var sums1 = ArrayPool<double>.Shared.Rent(passes * m * lanes);
        var sums2 = ArrayPool<double>.Shared.Rent(passes * m * lanes);
        var t1 = ArrayPool<double>.Shared.Rent(m);
        var t2 = ArrayPool<double>.Shared.Rent(m);
        try
        {
            Accumulate(step, seed, stepIndex, firstRound, passes, sums1, sums2);
            for (int i = 0; i < count; i++)
            {
                Extract(sums1, sums2, m, i, t1, t2);
                nullStatistics[i] = StudentizedStatistic.Min(t1.AsSpan(0, m), t2.AsSpan(0, m), n, out _);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums1);
            ArrayPool<double>.Shared.Return(sums2);
            ArrayPool<double>.Shared.Return(t1);
            ArrayPool<double>.Shared.Return(t2);
        }
    }

    /// <summary>
    /// The per-position sums of rounds firstRound .. firstRound + count − 1 (for tests): S1 of round i at
    /// <c>s1[i * m + k]</c>, S2 likewise.
    /// </summary>
    internal static void RunSums(StepData step, ulong seed, int stepIndex, long firstRound, int count, Span<double> s1, Span<double> s2, ColumnKind? columns = null)
    {
        int m = step.ActiveCount, lanes = TLanes.Count;
        int passes = (count + lanes - 1) / lanes;
        var sums1 = new double[passes * m * lanes];
        var sums2 = new double[passes * m * lanes];
        Accumulate(step, seed, stepIndex, firstRound, passes, sums1, sums2, columns);
        for (int i = 0; i < count; i++)
        {
            Extract(sums1, sums2, m, i, s1.Slice(i * m, m), s2.Slice(i * m, m));
        }
    }

    private static void Extract(double[] sums1, double[] sums2, int m, int round, Span<double> t1, Span<double> t2)
    {
        int lanes = TLanes.Count, pass = round / lanes, lane = round % lanes;
        for (int k = 0; k < m; k++)
        {
            t1[k] = sums1[(((pass * m) + k) * lanes) + lane];
            t2[k] = sums2[(((pass * m) + k) * lanes) + lane];
        }
    }

    /// <summary>
    /// Whether a step of m candidates runs on index columns (<see cref="IndexColumn{TIndex}"/>)
    /// rather than on copies of the values: from 128 candidates on, where a block of value columns for every lane no
    /// longer leaves room in L1 for more than a handful of prompts (measured: docs/performance.md).
    /// </summary>
    public static bool UsesIndices(int m) => m is >= IndexColumnsFrom and <= MaxIndexedCandidates;

    /// <summary>Whether m candidates need 16-bit indices (more than a byte can index).</summary>
    public static bool NeedsWideIndices(int m) => m > Lanes.IndexReach<byte>();

    /// <summary>Index columns and group permutations of <typeparamref name="TIndex"/> must reach every one of the m candidates.</summary>
    private static void EnsureIndexReach<TIndex>(int m)
        where TIndex : unmanaged
    {
        int reach = Lanes.IndexReach<TIndex>();
        if (m > reach)
        {
            throw new InvalidOperationException($"Indices of {typeof(TIndex).Name} reach at most {reach} candidates, not {m}.");
        }
    }

    /// <summary>What the lanes' columns hold for a step: group permutations, indices (bytes or 16-bit) or values.</summary>
    public static ColumnKind Columns(StepData step)
    {
        bool wide = NeedsWideIndices(step.ActiveCount);
        return UsesGroupPermutations(step) ? (wide ? ColumnKind.WideGroupPermutations : ColumnKind.GroupPermutations)
            : UsesIndices(step.ActiveCount) ? (wide ? ColumnKind.WideIndices : ColumnKind.Indices)
            : ColumnKind.Values;
    }

    /// <summary>Runs passes × lanes rounds from firstRound; sums of (pass, position k, lane) at [(pass·m + k)·lanes + lane].</summary>
    private static void Accumulate(StepData step, ulong seed, int stepIndex, long firstRound, int passes, double[] sums1, double[] sums2, ColumnKind? columns = null)
    {
        switch (columns ?? Columns(step))
        {
            case ColumnKind.GroupPermutations:
                AccumulateGroups<byte>(step, seed, stepIndex, firstRound, passes, sums1, sums2);
                break;
            case ColumnKind.WideGroupPermutations:
                AccumulateGroups<ushort>(step, seed, stepIndex, firstRound, passes, sums1, sums2);
                break;
            case ColumnKind.Indices:
                Accumulate<byte, IndexColumn<byte>>(step, seed, stepIndex, firstRound, passes, sums1, sums2);
                break;
            case ColumnKind.WideIndices:
                Accumulate<ushort, IndexColumn<ushort>>(step, seed, stepIndex, firstRound, passes, sums1, sums2);
                break;
            default:
                Accumulate<double, ValueColumn>(step, seed, stepIndex, firstRound, passes, sums1, sums2);
                break;
        }
    }

    private static void Accumulate<T, TColumn>(StepData step, ulong seed, int stepIndex, long firstRound, int passes, double[] sums1, double[] sums2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        int m = step.ActiveCount, n = step.PromptCount, lanes = TLanes.Count;
        bool values = typeof(T) == typeof(double);
        if (!values)
        {
            EnsureIndexReach<T>(m);
        }

        SwapTargetPlan plan = step.SwapTargets;
        int words = plan.BatchCount, lanesTotal = passes * lanes;
        int block = Math.Min(values ? BlockPrompts(m) : IndexBlockPrompts(m, Unsafe.SizeOf<T>()), n);
        int laneStride = LaneStride<T>(block, m);

        var state = ArrayPool<ulong>.Shared.Rent(4 * lanesTotal);
        var pending = ArrayPool<ulong>.Shared.Rent(lanesTotal * words);
        int span = Math.Max(1, SpanDoubles / (block * m)) * block;
        var source = ArrayPool<double>.Shared.Rent(span * m);
        var x = ArrayPool<T>.Shared.Rent(lanes * laneStride);
        // Index columns start every pass from 0, 1, .., m − 1 for every prompt of the block.
        var identity = values ? null : ArrayPool<T>.Shared.Rent(block * m);
        var blockWords = ArrayPool<ulong>.Shared.Rent(words * block * lanes);
        var targets = ArrayPool<ulong>.Shared.Rent(block * lanes);
        var chain = ArrayPool<ulong>.Shared.Rent(block * lanes);
        var starts = ArrayPool<bool>.Shared.Rent(block);
        try
        {
            StartStreams(seed, stepIndex, firstRound, passes, state);

            if (identity is not null)
            {
                FillIdentity(identity.AsSpan(0, block * m), m);
            }

            sums1.AsSpan(0, passes * m * lanes).Clear();
            sums2.AsSpan(0, passes * m * lanes).Clear();
            int[] groupStarts = step.GroupStarts;
            int nextGroup = 0;
            for (int first = 0; first < n; first += block)
            {
                int prompts = Math.Min(block, n - first);
                int offset = (first % span) * m;
                if (offset == 0)
                {
                    step.FillBlock(first, Math.Min(span, n - first), source);
                }

                for (int p = 0; p < prompts; p++)
                {
                    starts[p] = groupStarts[nextGroup] == first + p;
                    if (starts[p])
                    {
                        nextGroup++;
                    }
                }

                ReadOnlySpan<T> initial = identity is null
                    ? MemoryMarshal.Cast<double, T>(source.AsSpan(offset, prompts * m))
                    : identity.AsSpan(0, prompts * m);
                for (int pass = 0; pass < passes; pass++)
                {
                    // Each lane starts from the block's values (or from the identity): one copy per lane.
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        initial.CopyTo(x.AsSpan(lane * laneStride));
                    }

                    TLanes.DrawWords(state.AsSpan(pass * 4 * lanes, 4 * lanes), pending.AsSpan(pass * words * lanes, words * lanes),
                        starts.AsSpan(0, prompts), prompts, block, plan.Products, plan.Thresholds, blockWords);
                    RunSteps<T, TColumn>(plan, m, pass, prompts, block, laneStride, x, ref source[offset], blockWords, targets, chain, sums1, sums2);
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(state);
            ArrayPool<ulong>.Shared.Return(pending);
            ArrayPool<double>.Shared.Return(source);
            ArrayPool<T>.Shared.Return(x);
            if (identity is not null)
            {
                ArrayPool<T>.Shared.Return(identity);
            }

            ArrayPool<ulong>.Shared.Return(blockWords);
            ArrayPool<ulong>.Shared.Return(targets);
            ArrayPool<ulong>.Shared.Return(chain);
            ArrayPool<bool>.Shared.Return(starts);
        }
    }

    /// <summary>
    /// The index columns 0, 1, .., m − 1 one after another (bytes, or 16-bit indices): the identity permutation of every
    /// prompt (or group).
    /// </summary>
    private static void FillIdentity<TIndex>(Span<TIndex> columns, int m)
        where TIndex : unmanaged
    {
        for (int i = 0; i < columns.Length; i++)
        {
            Lanes.SetIndex(ref columns[i], i % m);
        }
    }

    /// <summary>
    /// Every lane's generator at the start of its round, pass by pass: <c>state[(pass·4 + w)·lanes + lane]</c> is word w of
    /// the lane's xoshiro256** state. Lanes past the batch end run real streams (the next rounds) whose results are dropped.
    /// </summary>
    private static void StartStreams(ulong seed, int stepIndex, long firstRound, int passes, ulong[] state)
    {
        int lanes = TLanes.Count;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int lane = 0; lane < lanes; lane++)
            {
                int at = (pass * 4 * lanes) + lane;
                RandomStreams.ForRound(seed, stepIndex, firstRound + (pass * lanes) + lane)
                    .GetState(out state[at], out state[at + lanes], out state[at + (2 * lanes)], out state[at + (3 * lanes)]);
            }
        }
    }

    /// <summary>
    /// Elements between two lanes' copies of the block: the block rounded up to a cache line plus one line,
    /// so that the lanes' columns never sit a multiple of 4 KiB apart (which would make their loads and
    /// stores falsely depend on each other).
    /// </summary>
    private static int LaneStride<T>(int block, int m)
        where T : unmanaged
    {
        int line = 64 / Unsafe.SizeOf<T>();
        return (((block * m) + line - 1) / line * line) + line;
    }

    /// <summary>Every Fisher–Yates step of one block for one pass of lanes, then position 0.</summary>
    private static void RunSteps<T, TColumn>(
        SwapTargetPlan plan, int m, int pass, int prompts, int block, int laneStride, T[] x, ref double values, ulong[] blockWords, ulong[] targets, ulong[] chain,
        double[] sums1, double[] sums2)
        where T : unmanaged
        where TColumn : struct, IColumn<T>
    {
        int lanes = TLanes.Count;
        ref T x0 = ref MemoryMarshal.GetArrayDataReference(x);
        ref ulong k0 = ref MemoryMarshal.GetArrayDataReference(targets);
        ref double s1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sums1), pass * m * lanes);
        ref double s2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sums2), pass * m * lanes);
        Span<ulong> stepTargets = targets.AsSpan(0, prompts * lanes), running = chain.AsSpan(0, prompts * lanes);
        for (int d = 0; d < m - 1; d++)
        {
            // x = word·Q mod 2⁶⁴: the word itself at a batch's first draw, then carried from draw to draw.
            ReadOnlySpan<ulong> from = plan.StartsBatch(d) ? blockWords.AsSpan(plan.BatchOf(d) * block * lanes, prompts * lanes) : running;
            SwapTargetOperator.Apply<TLanes>(from, plan.Bound(d), stepTargets, running);
            int j = m - 1 - d;
            TLanes.Step<T, TColumn>(ref x0, laneStride, ref values, ref k0, prompts, m, j, ref Unsafe.Add(ref s1, j * lanes), ref Unsafe.Add(ref s2, j * lanes));
        }

        TLanes.Last<T, TColumn>(ref x0, laneStride, ref values, prompts, m, ref s1, ref s2);
    }
}
