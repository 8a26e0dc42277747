namespace ModelProvenance.Kernels;

/// <summary>
/// What the permutation kernels read in one step: the active candidates' centred distances
/// e[t, k] = L[A_k, t] − mean_j L[A_j, t], stored prompt-major (each prompt's m values contiguous),
/// with prompts reordered so that each permutation group is one contiguous block.
/// </summary>
internal sealed class StepData
{
    public StepData(double[] values, int activeCount, int promptCount, int[] groupStarts)
    {
        Values = values;
        ActiveCount = activeCount;
        PromptCount = promptCount;
        GroupStarts = groupStarts;
    }

    /// <summary>Prompt-major centred values: <c>Values[p * m + k]</c>.</summary>
    public double[] Values { get; }

    /// <summary>m, the number of active candidates.</summary>
    public int ActiveCount { get; }

    /// <summary>N, the number of prompts.</summary>
    public int PromptCount { get; }

    /// <summary>Group g covers prompts GroupStarts[g] .. GroupStarts[g+1]−1 (in the stored order).</summary>
    public int[] GroupStarts { get; }

    /// <summary>G, the number of permutation groups.</summary>
    public int GroupCount => GroupStarts.Length - 1;
}
