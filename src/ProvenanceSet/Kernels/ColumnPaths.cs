namespace ProvenanceSet.Kernels;

/// <summary>
/// What the lanes' columns of <see cref="LanesKernel{TLanes}"/> hold while a step runs: a copy of each prompt's values per
/// lane, shuffled in place; indices 0..m−1 per prompt and lane, shuffled, the values read through them; or one shuffled
/// permutation per prompt group and lane, which every prompt of the group reads its values through. Indices are bytes up
/// to 256 candidates, 16-bit above (Wide).
/// </summary>
internal enum ColumnKind
{
    Values,
    Indices,
    GroupPermutations,
    WideIndices,
    WideGroupPermutations,
}

/// <summary>Which column path a step takes, and the blocks each path works in (all measured: docs/performance.md).</summary>
internal static class ColumnPaths
{
    // Values the group path reads at once (about 32 KiB of doubles, at least 16 prompts).
    private const int ChunkDoubles = 4096;

    // Fisher–Yates working set per pass (block × lanes × m entries): about 38 KiB, inside a 48 KiB L1d, but at least 4
    // prompts per block so that large m does not drown in per-position overhead.
    private const int WorkingSetDoubles = 4800;
    private const int MaxBlock = 512;

    // Values read from the matrix in one go (whole blocks, about 128 KiB, in L2): 2 ns per value against 5–9 ns for one block.
    private const int SpanDoubles = 16384;

    // Index columns from this m on; at most what a 16-bit index reaches (also for group permutations).
    private const int IndexColumnsFrom = 128;
    private const int MaxIndexedCandidates = ushort.MaxValue + 1;

    // Groups of this many prompts on average take the group path (pairs are ahead on per-prompt columns, triples behind).
    private const double GroupPermutationsFromMeanSize = 2.5;

    /// <summary>What the lanes' columns hold for a step: group permutations, indices (bytes or 16-bit) or values.</summary>
    public static ColumnKind For(StepData step)
    {
        bool wide = NeedsWideIndices(step.ActiveCount);
        return UsesGroupPermutations(step) ? (wide ? ColumnKind.WideGroupPermutations : ColumnKind.GroupPermutations)
            : UsesIndices(step.ActiveCount) ? (wide ? ColumnKind.WideIndices : ColumnKind.Indices)
            : ColumnKind.Values;
    }

    /// <summary>Whether m candidates run on index columns: from 128 on, where value columns leave room in L1 for a handful of prompts only.</summary>
    public static bool UsesIndices(int m) => m is >= IndexColumnsFrom and <= MaxIndexedCandidates;

    /// <summary>Whether m candidates need 16-bit indices (more than a byte can index).</summary>
    public static bool NeedsWideIndices(int m) => m > byte.MaxValue + 1;

    /// <summary>Whether a step runs on group permutations: groups of 2.5 prompts or more on average, at most 65 536 candidates.</summary>
    public static bool UsesGroupPermutations(StepData step) =>
        step.ActiveCount <= MaxIndexedCandidates && step.PromptCount >= GroupPermutationsFromMeanSize * step.GroupCount;

    /// <summary>Whether a column path shuffles one permutation per prompt group.</summary>
    public static bool PermutesGroups(ColumnKind columns) => columns is ColumnKind.GroupPermutations or ColumnKind.WideGroupPermutations;

    /// <summary>The size of a column entry: a double, a byte or a 16-bit index.</summary>
    public static int EntryBytes(ColumnKind columns) =>
        columns == ColumnKind.Values ? sizeof(double) : columns is ColumnKind.WideIndices or ColumnKind.WideGroupPermutations ? sizeof(ushort) : sizeof(byte);

    /// <summary>The work space of a step's <paramref name="rounds"/> rounds on a column path.</summary>
    public static KernelScratch Scratch(StepData step, ColumnKind columns, int rounds)
    {
        int m = step.ActiveCount, n = step.PromptCount, passes = (rounds + Lanes.Count - 1) / Lanes.Count, entryBytes = EntryBytes(columns);
        int reach = entryBytes == sizeof(byte) ? byte.MaxValue + 1 : MaxIndexedCandidates;
        if (m > reach)
        {
            throw new InvalidOperationException($"Indices of {entryBytes * 8} bits reach at most {reach} candidates, not {m}.");
        }

        if (PermutesGroups(columns))
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
