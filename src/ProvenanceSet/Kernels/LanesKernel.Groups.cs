using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProvenanceSet.Kernels;

/// <content>
/// The path for prompt groups: a group's prompts share one permutation, so each lane shuffles a permutation
/// (bytes up to 256 candidates, 16-bit indices above) once per group and every prompt of the group reads its
/// values through it (<see cref="GroupValues{TIndex}"/>), instead of one Fisher–Yates swap per cell.
/// </content>
internal sealed partial class LanesKernel<TLanes>
{
    /// <summary>
    /// The same sums, in the same layout and added in the same order, as <see cref="Accumulate{T}"/>, on group permutations:
    /// for each chunk of whole groups (a larger group alone, its values read in slices) and pass, every lane draws its words
    /// at each group start, runs Fisher–Yates on an index column per group (full swaps, so the column ends as the permutation
    /// π with position k holding π(k)), then every prompt of the group adds e[p, π(k)] to position k's sums, in stored order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per batch: no time as on-stack-replacement code
    private static void AccumulateGroups<TIndex>(StepData step, in KernelScratch scratch)
        where TIndex : unmanaged
    {
        int m = scratch.M, groupCount = step.GroupCount, chunkPrompts = scratch.Values.Length / m, lanes = Lanes.Count;
        int[] groupStarts = step.GroupStarts;
        Span<TIndex> identity = scratch.IdentityOf<TIndex>(), columns = scratch.ColumnsOf<TIndex>();
        FillIdentity(identity, m);
        scratch.Starts.Fill(true);
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
                step.FillBlock(firstPrompt, prompts, scratch.Values);
            }

            for (int pass = 0; pass < scratch.Passes; pass++)
            {
                StartPass(scratch, pass, scratch.Starts[..groups], identity[..(groups * m)]);
                for (int j = m - 1; j > 0; j--)
                {
                    SwapTargets(scratch, j, groups);
                    SwapGroups(scratch, columns, groups, j);
                }

                ref double s1 = ref scratch.Sums1[pass * m * lanes], s2 = ref scratch.Sums2[pass * m * lanes];
                for (int g = 0; g < groups; g++)
                {
                    int from = groupStarts[firstGroup + g] - firstPrompt, to = groupStarts[firstGroup + g + 1] - firstPrompt;
                    for (int first = from; first < to; first += chunkPrompts)
                    {
                        int count = Math.Min(chunkPrompts, to - first);
                        if (!fits)
                        {
                            step.FillBlock(firstPrompt + first, count, scratch.Values); // read again for every pass
                        }

                        Gather(ref columns[g * m], scratch.LaneStride, ref scratch.Values[fits ? first * m : 0], count, m, ref s1, ref s2);
                    }
                }
            }

            firstGroup = endGroup;
        }
    }

    /// <summary>Adds every position k's values of a group's prompts, read through the lanes' permutations (a method of its own: measured faster).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Gather<TIndex>(ref TIndex columns, nint laneStride, ref double values, int count, int m, ref double s1, ref double s2)
        where TIndex : unmanaged
    {
        for (int k = 0; k < m; k++)
        {
            var permuted = new GroupValues<TIndex>(ref Unsafe.Add(ref columns, k), laneStride, ref values, m);
            Lanes.Add<TLanes, GroupValues<TIndex>>(permuted, count, ref Unsafe.Add(ref s1, k * Lanes.Count), ref Unsafe.Add(ref s2, k * Lanes.Count));
        }
    }

    /// <summary>Fisher–Yates at position j on every group's index column in every lane, with full swaps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    private static void SwapGroups<TIndex>(in KernelScratch scratch, Span<TIndex> columns, int groups, nint j)
        where TIndex : unmanaged
    {
        ref ulong targets = ref MemoryMarshal.GetReference(scratch.Targets);
        for (int g = 0; g < groups; g++)
        {
            for (int lane = 0; lane < Lanes.Count; lane++)
            {
                ref TIndex column = ref columns[(g * scratch.M) + (lane * scratch.LaneStride)];
                ref TIndex slot = ref Unsafe.Add(ref column, (nint)Lanes.Target(ref Unsafe.Add(ref targets, g * Lanes.Count), lane));
                ref TIndex last = ref Unsafe.Add(ref column, j);
                (slot, last) = (last, slot);
            }
        }
    }
}
