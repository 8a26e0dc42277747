namespace ProvenanceSet.Fingerprints.Tokens;

/// <summary>The token distances, on token prefixes of length at most K (formulas in <see cref="TokenDistanceKind"/>).</summary>
public static class TokenDistances
{
    /// <summary>Share of the K positions where a and b differ (a position past the end of exactly one prefix differs).</summary>
    /// <param name="a">One prefix (at most K tokens are read).</param>
    /// <param name="b">The other prefix.</param>
    /// <param name="k">K ≥ 1.</param>
    public static double Disagreement(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int differ = 0;
        for (int position = 0; position < k; position++)
        {
            bool inA = position < a.Length, inB = position < b.Length;
            if (inA != inB || (inA && a[position] != b[position]))
            {
                differ++;
            }
        }

        return (double)differ / k;
    }

    /// <summary>Levenshtein distance between the first K tokens of a and b, divided by the longer of the two prefixes (0 when both are empty).</summary>
    /// <param name="a">One prefix (at most K tokens are read).</param>
    /// <param name="b">The other prefix.</param>
    /// <param name="k">K ≥ 1.</param>
    public static double NormalizedEditDistance(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        a = a[..Math.Min(a.Length, k)];
        b = b[..Math.Min(b.Length, k)];
        int longer = Math.Max(a.Length, b.Length);
        if (longer == 0)
        {
            return 0;
        }

        // Two-row dynamic programme over b.
        Span<int> previous = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> current = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            current.CopyTo(previous);
        }

        return (double)previous[b.Length] / longer;
    }
}
