using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The fast kernel: <see cref="Lanes.Count"/> permutation rounds side by side, Fisher–Yates on each prompt's column in
/// L1, swap targets computed out of order in vectors, sums kept in registers (<typeparamref name="TLanes"/>: scalars or
/// vectors). Draws exactly the permutations of <see cref="ScalarReferenceKernel"/> and adds exactly the same values in
/// the same order, so its T* are the same bits.
/// </summary>
/// <remarks>
/// For a batch of rounds, prompt blocks are taken in stored order (docs/algorithm.md, "Permutation kernels"); for each block
/// and pass, every lane's columns start as a copy of the block's centred values or as indices 0..m−1 into them
/// (<see cref="ColumnPaths"/>), every lane draws its words at each group start (<see cref="LaneWords"/>), then for each
/// position j = m−1..1 the swap targets of all prompts and lanes come from one vector operation
/// (<see cref="SwapTargetOperator"/>) and every prompt and lane swaps once and adds the value that lands on position j
/// (<see cref="SwapValues{T}"/>); position 0 last (<see cref="FirstValues{T}"/>). Prompt groups of 2.5 or more prompts on
/// average take another path (LanesKernel.Groups.cs).
/// </remarks>
internal sealed partial class LanesKernel<TLanes> : IPermutationKernel
    where TLanes : struct, ILaneSums<TLanes>
{
    public static LanesKernel<TLanes> Instance { get; } = new();

    public string Name => TLanes.Name;

    public int RoundsPerPass => Lanes.Count;

    public void RunRounds(StepData step, RoundStream rounds, Span<double> nullStatistics)
    {
        int m = step.ActiveCount, lanes = Lanes.Count;
        ColumnKind columns = ColumnPaths.For(step);
        using var scratch = ColumnPaths.Scratch(step, columns, nullStatistics.Length);
        Accumulate(step, rounds, columns, scratch);
        for (int i = 0; i < nullStatistics.Length; i++)
        {
            int start = (i / lanes * m * lanes) + (i % lanes), length = ((m - 1) * lanes) + 1;
            nullStatistics[i] = StudentizedStatistic.Min(scratch.Sums1.Slice(start, length), scratch.Sums2.Slice(start, length), step.PromptCount, out _, lanes);
        }
    }

    /// <summary>
    /// Every pass's sums into <paramref name="scratch"/>, on a given column path: the automatic one (<see cref="ColumnPaths.For"/>),
    /// or, for tests and benchmarks, any other.
    /// </summary>
    internal static void Accumulate(StepData step, RoundStream rounds, ColumnKind columns, in KernelScratch scratch)
    {
        LaneWords.Start(scratch.State, rounds, scratch.Passes);
        if (columns == ColumnKind.Values)
        {
            Accumulate<double>(step, scratch);
        }
        else if (ColumnPaths.EntryBytes(columns) == sizeof(byte))
        {
            AccumulateIndexed<byte>(step, scratch, ColumnPaths.PermutesGroups(columns));
        }
        else
        {
            AccumulateIndexed<ushort>(step, scratch, ColumnPaths.PermutesGroups(columns));
        }
    }

    private static void AccumulateIndexed<TIndex>(StepData step, in KernelScratch scratch, bool groups)
        where TIndex : unmanaged
    {
        if (groups)
        {
            AccumulateGroups<TIndex>(step, scratch);
        }
        else
        {
            Accumulate<TIndex>(step, scratch);
        }
    }

    /// <summary>One permutation per prompt (or per group of fewer than 2.5 prompts, replayed on each of its prompts).</summary>
    /// <remarks>Called once per batch, so compiled optimised at its first call rather than run as on-stack-replacement code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate<T>(StepData step, in KernelScratch scratch)
        where T : unmanaged
    {
        int m = scratch.M, n = step.PromptCount, span = scratch.Values.Length / m, lanes = Lanes.Count;
        Span<T> identity = scratch.IdentityOf<T>();
        FillIdentity(identity, m);
        int[] groupStarts = step.GroupStarts;
        int nextGroup = 0;
        for (int first = 0; first < n; first += scratch.Block)
        {
            int prompts = Math.Min(scratch.Block, n - first), offset = first % span * m;
            if (offset == 0)
            {
                step.FillBlock(first, Math.Min(span, n - first), scratch.Values);
            }

            Span<bool> starts = scratch.Starts[..prompts];
            for (int p = 0; p < prompts; p++)
            {
                starts[p] = groupStarts[nextGroup] == first + p;
                nextGroup += starts[p] ? 1 : 0;
            }

            ref double values = ref scratch.Values[offset];
            ReadOnlySpan<T> initial = typeof(T) == typeof(double) ? MemoryMarshal.Cast<double, T>(scratch.Values.Slice(offset, prompts * m)) : identity[..(prompts * m)];
            ref T columns = ref MemoryMarshal.GetReference(scratch.ColumnsOf<T>());
            for (int pass = 0; pass < scratch.Passes; pass++)
            {
                StartPass(scratch, pass, starts, initial);
                ref double s1 = ref scratch.Sums1[pass * m * lanes], s2 = ref scratch.Sums2[pass * m * lanes];
                for (int j = m - 1; j > 0; j--)
                {
                    SwapTargets(scratch, j, prompts);
                    var swaps = new SwapValues<T>(ref columns, scratch.LaneStride, ref values, ref scratch.Targets[0], m, j);
                    Lanes.Add<TLanes, SwapValues<T>>(swaps, prompts, ref Unsafe.Add(ref s1, j * lanes), ref Unsafe.Add(ref s2, j * lanes));
                }

                Lanes.Add<TLanes, FirstValues<T>>(new(ref columns, scratch.LaneStride, ref values, m), prompts, ref s1, ref s2);
            }
        }
    }

    /// <summary>A pass's start on a block: every lane's columns from <paramref name="initial"/>, and the lanes' words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    private static void StartPass<T>(in KernelScratch scratch, int pass, ReadOnlySpan<bool> starts, ReadOnlySpan<T> initial)
        where T : unmanaged
    {
        int lanes = Lanes.Count, words = scratch.Plan.WordCount;
        Span<T> columns = scratch.ColumnsOf<T>();
        for (int lane = 0; lane < lanes; lane++)
        {
            initial.CopyTo(columns[(lane * scratch.LaneStride)..]);
        }

        LaneWords.Draw(scratch.State.Slice(pass * 4 * lanes, 4 * lanes), scratch.Pending.Slice(pass * words * lanes, words * lanes),
            starts, scratch.Block, scratch.Plan.Products, scratch.Plan.Thresholds, scratch.Words);
    }

    /// <summary>
    /// Position j's swap targets for <paramref name="count"/> prompts (or groups) and every lane, from x = word·Q mod 2⁶⁴: the
    /// word itself at a word's first position, then carried from position to position (positions in order m−1..1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    private static void SwapTargets(in KernelScratch scratch, int j, int count)
    {
        SwapTargetPlan plan = scratch.Plan;
        int d = scratch.M - 1 - j, lanes = Lanes.Count;
        Span<ulong> chain = scratch.Chain[..(count * lanes)];
        ReadOnlySpan<ulong> from = plan.StartsWord(d) ? scratch.Words.Slice(plan.WordOf(d) * scratch.Block * lanes, count * lanes) : chain;
        SwapTargetOperator.Apply(from, plan.Bound(d), scratch.Targets[..(count * lanes)], chain);
    }

    /// <summary>The index columns 0, 1, .., m − 1 one after another (bytes, or 16-bit indices; nothing for value columns).</summary>
    private static void FillIdentity<T>(Span<T> columns, int m)
        where T : unmanaged
    {
        for (int i = 0; typeof(T) != typeof(double) && i < columns.Length; i++)
        {
            columns[i] = Lanes.ToIndex<T>(i % m);
        }
    }
}
