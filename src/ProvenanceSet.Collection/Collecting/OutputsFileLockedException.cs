namespace ProvenanceSet.Collection.Collecting;

/// <summary>
/// The outputs file is being written by another collector: the lock file beside it
/// (<c>FILE.lock</c>) is held. Let that collector finish, or stop it, and run again to resume.
/// </summary>
public sealed class OutputsFileLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The outputs file, as given.</param>
    /// <param name="lockPath">The lock file that another collector holds.</param>
    /// <param name="innerException">The error from opening the lock file, or null.</param>
    public OutputsFileLockedException(string path, string lockPath, Exception? innerException = null)
        : base($"{path} is being written by another collector (it holds {System.IO.Path.GetFileName(lockPath)}); let it finish or stop it first.", innerException)
    {
        Path = path;
        LockPath = lockPath;
    }

    /// <summary>The outputs file, as given.</summary>
    public string Path { get; }

    /// <summary>The lock file that another collector holds.</summary>
    public string LockPath { get; }
}
