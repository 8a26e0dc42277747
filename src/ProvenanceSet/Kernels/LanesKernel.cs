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
/// <para>For a batch of rounds, prompt blocks are taken in stored order; for each block and each pass of
/// <see cref="Lanes.Count"/> rounds:</para>
/// <list type="number">
/// <item>the block's centred values (read from the matrix a span of blocks at a time) are copied once per
/// lane, or, from 128 candidates on, each lane gets indices 0..m−1 per prompt instead and reads
/// the values through them (<see cref="SwapValues{T}"/>, bytes up to 256 candidates, 16-bit above:
/// the same permutation and the same values, with an eighth or a quarter of the working set);</item>
/// <item>every lane draws, at each group start, the accepted words of its permutation from its own
/// stream, the lanes' generators side by side in vectors (<see cref="LaneWords"/>: the same draws and
/// redraws as <see cref="ShufflePlan"/>); a group that continues from the previous block keeps its words;</item>
/// <item>for each Fisher–Yates position j = m−1..1 the swap targets of all prompts and lanes come from
/// one vector operation (<see cref="SwapTargetOperator"/>), then every prompt and lane swaps once and adds the value
/// that lands on position j to that lane's sums (<see cref="Lanes.Add{TLanes, TValues}"/> over <see cref="SwapValues{T}"/>);
/// position 0 last.</item>
/// </list>
/// <para>Prompt groups of 2.5 or more prompts on average take another path (LanesKernel.Groups.cs).</para>
/// </remarks>
internal sealed partial class LanesKernel<TLanes> : IPermutationKernel
    where TLanes : struct, ILaneSums<TLanes>
{
    public static LanesKernel<TLanes> Instance { get; } = new();

    public string Name => TLanes.Name;

    public int RoundsPerPass => Lanes.Count;

    public void RunRounds(StepData step, RoundStream rounds, Span<double> nullStatistics)
    {
        int m = step.ActiveCount;
        ColumnKind columns = ColumnPaths.For(step);
        using var scratch = ColumnPaths.Scratch(step, columns, nullStatistics.Length);
        Accumulate(step, rounds, columns, scratch);
        Span<double> s1 = scratch.Round[..m], s2 = scratch.Round[m..];
        for (int i = 0; i < nullStatistics.Length; i++)
        {
            scratch.Extract(i, s1, s2);
            nullStatistics[i] = StudentizedStatistic.Min(s1, s2, step.PromptCount, out _);
        }
    }

    /// <summary>
    /// Every pass's sums into <paramref name="scratch"/> (<see cref="KernelScratch.Extract"/> reads a round's), on a given column
    /// path: the automatic one (<see cref="ColumnPaths.For"/>), or, for tests and benchmarks, any other.
    /// </summary>
    internal static void Accumulate(StepData step, RoundStream rounds, ColumnKind columns, in KernelScratch scratch)
    {
        scratch.StartStreams(rounds);
        switch (columns)
        {
            case ColumnKind.GroupPermutations:
                AccumulateGroups<byte>(step, scratch);
                break;
            case ColumnKind.WideGroupPermutations:
                AccumulateGroups<ushort>(step, scratch);
                break;
            case ColumnKind.Indices:
                Accumulate<byte>(step, scratch);
                break;
            case ColumnKind.WideIndices:
                Accumulate<ushort>(step, scratch);
                break;
            default:
                Accumulate<double>(step, scratch);
                break;
        }
    }

    /// <summary>One permutation per prompt (or per group of fewer than 2.5 prompts, replayed on each of its prompts).</summary>
    private static void Accumulate<T>(StepData step, in KernelScratch scratch)
        where T : unmanaged
    {
        int m = scratch.M, n = step.PromptCount, block = scratch.Block, span = scratch.Values.Length / m;
        bool values = typeof(T) == typeof(double);
        Span<T> identity = scratch.IdentityOf<T>();
        if (!values)
        {
            FillIdentity(identity, m);
        }

        int[] groupStarts = step.GroupStarts;
        int nextGroup = 0;
        for (int first = 0; first < n; first += block)
        {
            int prompts = Math.Min(block, n - first), offset = first % span * m;
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

            // Each lane starts from the block's values, or from the identity.
            ReadOnlySpan<T> initial = values ? MemoryMarshal.Cast<double, T>(scratch.Values.Slice(offset, prompts * m)) : identity[..(prompts * m)];
            for (int pass = 0; pass < scratch.Passes; pass++)
            {
                RunPass<T, SwapStep<T>>(scratch, pass, starts, initial, ref scratch.Values[offset]);
            }
        }
    }

    /// <summary>
    /// One pass over a block: every lane's column from <paramref name="initial"/>, the lanes' words, then Fisher–Yates
    /// positions j = m−1..1, each one's swap targets (<see cref="SwapTargetOperator"/>) then <typeparamref name="TPosition"/>; position 0 last.
    /// </summary>
    private static void RunPass<T, TPosition>(in KernelScratch scratch, int pass, ReadOnlySpan<bool> starts, ReadOnlySpan<T> initial, ref double values)
        where T : unmanaged
        where TPosition : IPosition
    {
        SwapTargetPlan plan = scratch.Plan;
        int m = scratch.M, count = starts.Length, words = plan.WordCount, lanes = Lanes.Count;
        Span<T> columns = scratch.ColumnsOf<T>();
        for (int lane = 0; lane < lanes; lane++)
        {
            initial.CopyTo(columns[(lane * scratch.LaneStride)..]);
        }

        LaneWords.Draw(scratch.State.Slice(pass * 4 * lanes, 4 * lanes), scratch.Pending.Slice(pass * words * lanes, words * lanes),
            starts, scratch.Block, plan.Products, plan.Thresholds, scratch.Words);
        Span<ulong> targets = scratch.Targets[..(count * lanes)], chain = scratch.Chain[..(count * lanes)];
        for (int d = 0; d < m - 1; d++)
        {
            // x = word·Q mod 2⁶⁴: the word itself at a word's first position, then carried from position to position.
            ReadOnlySpan<ulong> from = plan.StartsWord(d) ? scratch.Words.Slice(plan.WordOf(d) * scratch.Block * lanes, count * lanes) : chain;
            SwapTargetOperator.Apply(from, plan.Bound(d), targets, chain);
            TPosition.Run(scratch, pass, count, ref values, m - 1 - d);
        }

        TPosition.Run(scratch, pass, count, ref values, 0);
    }

    /// <summary>The index columns 0, 1, .., m − 1 one after another (bytes, or 16-bit indices): the identity of every prompt (or group).</summary>
    private static void FillIdentity<TIndex>(Span<TIndex> columns, int m)
        where TIndex : unmanaged
    {
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = Lanes.ToIndex<TIndex>(i % m);
        }
    }

    /// <summary>What a pass does at each Fisher–Yates position j, once its swap targets are in <see cref="KernelScratch.Targets"/> (none at j = 0).</summary>
    private interface IPosition
    {
        static abstract void Run(in KernelScratch scratch, int pass, int count, ref double values, nint j);
    }

    /// <summary>Every prompt and lane swaps once and adds the value that ends at position j; at position 0, the value left there.</summary>
    private readonly struct SwapStep<T> : IPosition
        where T : unmanaged
    {
        public static void Run(in KernelScratch scratch, int pass, int count, ref double values, nint j)
        {
            int at = ((pass * scratch.M) + (int)j) * Lanes.Count;
            ref T columns = ref MemoryMarshal.GetReference(scratch.ColumnsOf<T>());
            if (j > 0)
            {
                var lanes = new SwapValues<T>(ref columns, scratch.LaneStride, ref values, ref scratch.Targets[0], scratch.M, j);
                Lanes.Add<TLanes, SwapValues<T>>(lanes, count, ref scratch.Sums1[at], ref scratch.Sums2[at]);
            }
            else
            {
                Lanes.Add<TLanes, FirstValues<T>>(new(ref columns, scratch.LaneStride, ref values, scratch.M), count, ref scratch.Sums1[at], ref scratch.Sums2[at]);
            }
        }
    }
}
