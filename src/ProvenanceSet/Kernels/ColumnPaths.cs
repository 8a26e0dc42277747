namespace ProvenanceSet.Kernels;

/// <summary>What the lanes' columns of <see cref="LanesKernel{TLanes}"/> hold while a step runs.</summary>
internal enum ColumnKind
{
    /// <summary>A copy of each prompt's values per lane, shuffled in place (<see cref="SwapValues{T}"/> of double).</summary>
    Values,

    /// <summary>Byte indices 0..m−1 per prompt and lane, shuffled, the values read through them (<see cref="SwapValues{T}"/> of byte; m ≤ 256).</summary>
    Indices,

    /// <summary>One shuffled byte permutation per prompt group and lane; every prompt of the group reads its values through it (m ≤ 256).</summary>
    GroupPermutations,

    /// <summary>As <see cref="Indices"/> with 16-bit indices (<see cref="SwapValues{T}"/> of ushort): pools of more than 256 candidates.</summary>
    WideIndices,

    /// <summary>As <see cref="GroupPermutations"/> with 16-bit indices: pools of more than 256 candidates.</summary>
    WideGroupPermutations,
}

/// <summary>Which column path a step takes, and the blocks each path works in (all measured: docs/performance.md).</summary>
internal static class ColumnPaths
{
    // Values the group path reads at once (about 32 KiB of doubles, at least 16 prompts).
    private const int ChunkDoubles = 4096;

    // Fisher–Yates working set per pass (block × lanes × m doubles): about 38 KiB, inside a 48 KiB L1d,
    // but at least 4 prompts per block so that large m does not drown in per-position overhead.
    private const int WorkingSetDoubles = 4800;
    private const int MaxBlock = 512;

    // Values read from the matrix in one go (a span of whole blocks, about 128 KiB, in L2): reading a span of
    // a few hundred prompts costs 2 ns per value, a 12-prompt block 5–9 ns (N = 100 000, docs/performance.md).
    private const int SpanDoubles = 16384;

    // The smallest m that runs on index columns (bytes up to 256 candidates, 16-bit indices above).
    private const int IndexColumnsFrom = 128;

    // The largest m that index columns and group permutations cover: what a 16-bit index reaches.
    private const int MaxIndexedCandidates = ushort.MaxValue + 1;

    // Groups of at least this many prompts on average take the group path: measured, the per-prompt columns are
    // ahead with pairs and behind from groups of 3 on, at m = 10, 50 and 200.
    private const double GroupPermutationsFromMeanSize = 2.5;

    /// <summary>What the lanes' columns hold for a step: group permutations, indices (bytes or 16-bit) or values.</summary>
    public static ColumnKind For(StepData step)
    {
        bool wide = NeedsWideIndices(step.ActiveCount);
        return UsesGroupPermutations(step) ? (wide ? ColumnKind.WideGroupPermutations : ColumnKind.GroupPermutations)
            : UsesIndices(step.ActiveCount) ? (wide ? ColumnKind.WideIndices : ColumnKind.Indices)
            : ColumnKind.Values;
    }

    /// <summary>
    /// Whether a step of m candidates runs on index columns rather than on copies of the values: from 128 candidates on,
    /// where a block of value columns for every lane no longer leaves room in L1 for more than a handful of prompts.
    /// </summary>
    public static bool UsesIndices(int m) => m is >= IndexColumnsFrom and <= MaxIndexedCandidates;

    /// <summary>Whether m candidates need 16-bit indices (more than a byte can index).</summary>
    public static bool NeedsWideIndices(int m) => m > byte.MaxValue + 1;

    /// <summary>
    /// Whether a step runs on group permutations: groups of <see cref="GroupPermutationsFromMeanSize"/> prompts or
    /// more on average, and at most 65 536 candidates (what a 16-bit index reaches).
    /// </summary>
    public static bool UsesGroupPermutations(StepData step) =>
        step.ActiveCount <= MaxIndexedCandidates && step.PromptCount >= GroupPermutationsFromMeanSize * step.GroupCount;

    /// <summary>The work space of a step's <paramref name="rounds"/> rounds on a column path.</summary>
    public static KernelScratch Scratch(StepData step, ColumnKind columns, int rounds)
    {
        int m = step.ActiveCount, n = step.PromptCount, passes = (rounds + Lanes.Count - 1) / Lanes.Count, entryBytes = columns switch
        {
            ColumnKind.Values => sizeof(double),
            ColumnKind.WideIndices or ColumnKind.WideGroupPermutations => sizeof(ushort),
            _ => sizeof(byte),
        };
        int reach = entryBytes == sizeof(byte) ? byte.MaxValue + 1 : MaxIndexedCandidates;
        if (m > reach)
        {
            throw new InvalidOperationException($"Indices of {entryBytes * 8} bits reach at most {reach} candidates, not {m}.");
        }

        if (columns is ColumnKind.GroupPermutations or ColumnKind.WideGroupPermutations)
        {
            int chunk = Math.Max(16, ChunkDoubles / m);
            return new KernelScratch(step.SwapTargets, passes, Math.Min(chunk, step.GroupCount), chunk, entryBytes);
        }

        // Prompts per block: the lanes' columns (an entry per lane and candidate) plus, for index columns, the block's values.
        int perPrompt = ((Lanes.Count * entryBytes) + (entryBytes < sizeof(double) ? sizeof(double) : 0)) * m;
        int block = Math.Min(Math.Clamp(sizeof(double) * WorkingSetDoubles / perPrompt, 4, MaxBlock), n);
        return new KernelScratch(step.SwapTargets, passes, block, Math.Max(1, SpanDoubles / (block * m)) * block, entryBytes);
    }
}
