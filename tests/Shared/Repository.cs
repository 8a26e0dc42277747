namespace ProvenanceSet.Testing;

/// <summary>Finds the repository from a test's output folder (linked into every test project).</summary>
internal static class Repository
{
    /// <summary>The folder that holds ProvenanceSet.sln.</summary>
    public static string Root => TryFindRoot() ?? throw new InvalidOperationException("ProvenanceSet.sln not found above the test folder.");

    /// <summary>A file of the repository by its relative path.</summary>
    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>The folder that holds ProvenanceSet.sln, or null when the tests run outside a checkout.</summary>
    public static string? TryFindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "ProvenanceSet.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>shared/realdata beside the repository when it holds dev-cases.json, else null.</summary>
    public static string? RealDataBeside()
    {
        string? root = TryFindRoot();
        if (root is null)
        {
            return null;
        }

        string beside = Path.Combine(root, "..", "shared", "realdata");
        return System.IO.File.Exists(Path.Combine(beside, "dev-cases.json")) ? Path.GetFullPath(beside) : null;
    }
}
