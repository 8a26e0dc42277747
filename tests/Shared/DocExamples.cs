namespace ProvenanceSet.Testing;

/// <summary>Compares a code block of the documentation with the test code it is copied from.</summary>
internal static class DocExamples
{
    /// <summary>Removes the common indentation of the lines (blank lines do not count).</summary>
    public static string Dedent(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
