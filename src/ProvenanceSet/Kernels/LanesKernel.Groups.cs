using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProvenanceSet.Kernels;

/// <summary>What the lanes' columns of <see cref="LanesKernel{TLanes}"/> hold while a step runs.</summary>
internal enum ColumnKind
{
    /// <summary>A copy of each prompt's values per lane, shuffled in place (<see cref="ValueColumn"/>).</summary>
    Values,

    /// <summary>Byte indices 0..m−1 per prompt and lane, shuffled, the values read through them (<see cref="IndexColumn{TIndex}"/>; m ≤ 256).</summary>
    Indices,

    /// <summary>One shuffled byte permutation per prompt group and lane; every prompt of the group reads its values through it (m ≤ 256).</summary>
    GroupPermutations,

    /// <summary>As <see cref="Indices"/> with 16-bit indices (<see cref="IndexColumn{TIndex}"/> of ushort): pools of more than 256 candidates.</summary>
    WideIndices,

    /// <summary>As <see cref="GroupPermutations"/> with 16-bit indices: pools of more than 256 candidates.</summary>
    WideGroupPermutations,
}

/// <content>
/// The path for prompt groups: a group's prompts share one permutation, so each lane shuffles a permutation
/// (bytes up to 256 candidates, 16-bit indices above) once per group and every prompt of the group reads its
/// values through it (<see cref="IRoundLanes.Gather{TIndex}"/>), instead of one Fisher–Yates step per cell.
/// </content>
internal sealed partial class LanesKernel<TLanes>
{
    // Groups of at least this many prompts on average take the group path: measured (docs/performance.md), the
    // per-prompt columns are ahead with pairs and behind from groups of 3 on, at m = 10, 50 and 200.
    private const double GroupPermutationsFromMeanSize = 2.5;

    // Prompts whose values are read in one go (about 32 KiB of doubles, at least 16 prompts).
    private const int ChunkDoubles = 4096;

    /// <summary>
    /// Whether a step runs on group permutations: groups of <see cref="GroupPermutationsFromMeanSize"/> prompts or
    /// more on average, and at most 65 536 candidates (what a 16-bit index reaches).
    /// </summary>
    public static bool UsesGroupPermutations(StepData step) =>
        step.ActiveCount <= MaxIndexedCandidates && step.PromptCount >= GroupPermutationsFromMeanSize * step.GroupCount;

    /// <summary>Prompts per chunk of values for m active candidates.</summary>
    private static int ChunkPrompts(int m) => Math.Max(16, ChunkDoubles / m);

    /// <summary>
    /// Runs passes × lanes rounds from firstRound on group permutations; the same sums, in the same layout and
    /// added in the same order, as <see cref="Accumulate{T, TColumn}"/>.
    /// </summary>
    /// <remarks>
    /// Groups are taken in chunks of whole groups holding at most <see cref="ChunkPrompts"/> prompts (a larger group
    /// is a chunk of its own). For each chunk and pass: every lane draws its words at each group start (the same
    /// draws as <see cref="Randomness.ShufflePlan"/>), runs Fisher–Yates on an index column per group (full swaps,
    /// so the column ends as the permutation π with position k holding π(k)), then every prompt of the group
    /// adds e[p, π(k)] to position k's sums, prompts in stored order. <typeparamref name="TIndex"/> is byte or ushort.
    /// </remarks>
    private static void AccumulateGroups<TIndex>(StepData step, ulong seed, int stepIndex, long firstRound, int passes, double[] sums1, double[] sums2)
        where TIndex : unmanaged
    {
        int m = step.ActiveCount, lanes = TLanes.Count, groupCount = step.GroupCount;
        EnsureIndexReach<TIndex>(m);

        SwapTargetPlan plan = step.SwapTargets;
        int words = plan.BatchCount, lanesTotal = passes * lanes;
        int chunkPrompts = ChunkPrompts(m);
        int maxGroups = Math.Min(chunkPrompts, groupCount);
        int laneStride = LaneStride<TIndex>(maxGroups, m);
        int[] groupStarts = step.GroupStarts;

        var state = ArrayPool<ulong>.Shared.Rent(4 * lanesTotal);
        var pending = ArrayPool<ulong>.Shared.Rent(lanesTotal * words);
        var source = ArrayPool<double>.Shared.Rent(chunkPrompts * m);
        var columns = ArrayPool<TIndex>.Shared.Rent(lanes * laneStride);
        var identity = ArrayPool<TIndex>.Shared.Rent(maxGroups * m);
        var chunkWords = ArrayPool<ulong>.Shared.Rent(words * maxGroups * lanes);
        var targets = ArrayPool<ulong>.Shared.Rent(maxGroups * lanes);
        var chain = ArrayPool<ulong>.Shared.Rent(maxGroups * lanes);
        var starts = ArrayPool<bool>.Shared.Rent(maxGroups);
        try
        {
            StartStreams(seed, stepIndex, firstRound, passes, state);
            FillIdentity(identity.AsSpan(0, maxGroups * m), m);

            starts.AsSpan(0, maxGroups).Fill(true);
            sums1.AsSpan(0, passes * m * lanes).Clear();
            sums2.AsSpan(0, passes * m * lanes).Clear();
            for (int firstGroup = 0; firstGroup < groupCount;)
            {
                // Whole groups while their prompts fit in a chunk; a larger group alone.
                int endGroup = firstGroup + 1;
                while (endGroup < groupCount && groupStarts[endGroup + 1] - groupStarts[firstGroup] <= chunkPrompts)
                {
                    endGroup++;
                }

                int groups = endGroup - firstGroup;
                int firstPrompt = groupStarts[firstGroup], prompts = groupStarts[endGroup] - firstPrompt;
                bool fits = prompts <= chunkPrompts;
                if (fits)
                {
                    step.FillBlock(firstPrompt, prompts, source);
                }

                for (int pass = 0; pass < passes; pass++)
                {
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        identity.AsSpan(0, groups * m).CopyTo(columns.AsSpan(lane * laneStride));
                    }

                    TLanes.DrawWords(state.AsSpan(pass * 4 * lanes, 4 * lanes), pending.AsSpan(pass * words * lanes, words * lanes),
                        starts.AsSpan(0, groups), groups, maxGroups, plan.Products, plan.Thresholds, chunkWords);
                    Shuffle(plan, m, groups, maxGroups, laneStride, columns, chunkWords, targets, chain);
                    ref double s1 = ref sums1[pass * m * lanes];
                    ref double s2 = ref sums2[pass * m * lanes];
                    if (fits)
                    {
                        for (int g = 0; g < groups; g++)
                        {
                            int from = groupStarts[firstGroup + g] - firstPrompt, to = groupStarts[firstGroup + g + 1] - firstPrompt;
                            TLanes.Gather(ref columns[g * m], laneStride, ref source[from * m], to - from, m, ref s1, ref s2);
                        }
                    }
                    else
                    {
                        // One group larger than a chunk: its values in slices, read again for every pass.
                        for (int first = 0; first < prompts; first += chunkPrompts)
                        {
                            int count = Math.Min(chunkPrompts, prompts - first);
                            step.FillBlock(firstPrompt + first, count, source);
                            TLanes.Gather(ref columns[0], laneStride, ref source[0], count, m, ref s1, ref s2);
                        }
                    }
                }

                firstGroup = endGroup;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(state);
            ArrayPool<ulong>.Shared.Return(pending);
            ArrayPool<double>.Shared.Return(source);
            ArrayPool<TIndex>.Shared.Return(columns);
            ArrayPool<TIndex>.Shared.Return(identity);
            ArrayPool<ulong>.Shared.Return(chunkWords);
            ArrayPool<ulong>.Shared.Return(targets);
            ArrayPool<ulong>.Shared.Return(chain);
            ArrayPool<bool>.Shared.Return(starts);
        }
    }

    /// <summary>Fisher–Yates on every group's index column in every lane: positions m−1..1, full swaps.</summary>
    private static void Shuffle<TIndex>(SwapTargetPlan plan, int m, int groups, int maxGroups, int laneStride, TIndex[] columns, ulong[] chunkWords, ulong[] targets, ulong[] chain)
        where TIndex : unmanaged
    {
        int lanes = TLanes.Count;
        Span<ulong> stepTargets = targets.AsSpan(0, groups * lanes), running = chain.AsSpan(0, groups * lanes);
        ref TIndex x0 = ref MemoryMarshal.GetArrayDataReference(columns);
        ref ulong k0 = ref MemoryMarshal.GetArrayDataReference(targets);
        for (int d = 0; d < m - 1; d++)
        {
            ReadOnlySpan<ulong> from = plan.StartsBatch(d) ? chunkWords.AsSpan(plan.BatchOf(d) * maxGroups * lanes, groups * lanes) : running;
            SwapTargetOperator.Apply<TLanes>(from, plan.Bound(d), stepTargets, running);
            nint j = m - 1 - d;
            for (int g = 0; g < groups; g++)
            {
                ref TIndex column = ref Unsafe.Add(ref x0, g * m);
                ref ulong k = ref Unsafe.Add(ref k0, g * lanes);
                for (int lane = 0; lane < lanes; lane++)
                {
                    ref TIndex c = ref Unsafe.Add(ref column, lane * laneStride);
                    ref TIndex slot = ref Unsafe.Add(ref c, (nint)Lanes.Target(ref k, lane));
                    ref TIndex last = ref Unsafe.Add(ref c, j);
                    (slot, last) = (last, slot);
                }
            }
        }
    }
}
