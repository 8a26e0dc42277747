namespace ProvenanceSet.Data;

/// <summary>Checks a list of candidate names or prompt ids: the right count, none empty, none repeated.</summary>
internal static class NameList
{
    /// <summary>Returns a validated copy of <paramref name="names"/>.</summary>
    /// <exception cref="ArgumentException">Wrong count, an empty entry, or a duplicate (named with both positions).</exception>
    public static string[] Validated(IReadOnlyList<string>? names, int count, string what, string paramName)
    {
        if (names is null || names.Count != count)
        {
            throw new ArgumentException($"Expected {count} {what}s, got {names?.Count ?? 0}.", paramName);
        }

        var result = new string[count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = names[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"The {what} at position {i + 1} is empty.", paramName);
            }

            if (!seen.TryAdd(name, i))
            {
                throw new ArgumentException($"Duplicate {what} '{name}' (positions {seen[name] + 1} and {i + 1}).", paramName);
            }

            result[i] = name;
        }

        return result;
    }
}
