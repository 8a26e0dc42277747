namespace ProvenanceSet.Data;

/// <summary>
/// An input file is malformed. The message names the file, the line and, where it applies, the
/// column; the same facts are available as properties for tools that want to point at them.
/// </summary>
public sealed class ProvenanceFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file (or source name) that holds the problem.</param>
    /// <param name="lineNumber">1-based line number, or 0 when the problem is not on one line.</param>
    /// <param name="columnNumber">1-based column (field) number, or 0 when not on one column.</param>
    /// <param name="problem">What is wrong, in words.</param>
    public ProvenanceFormatException(string fileName, int lineNumber, int columnNumber, string problem)
        : base(Describe(fileName, lineNumber, columnNumber, problem))
    {
        FileName = fileName;
        LineNumber = lineNumber;
        ColumnNumber = columnNumber;
        Problem = problem;
    }

    /// <summary>The file (or source name) that holds the problem.</summary>
    public string FileName { get; }

    /// <summary>1-based line number, or 0 when the problem is not on one line.</summary>
    public int LineNumber { get; }

    /// <summary>1-based column (field) number, or 0 when the problem is not on one column.</summary>
    public int ColumnNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string fileName, int line, int column, string problem) =>
        (line, column) switch
        {
            ( > 0, > 0) => $"{fileName}, line {line}, column {column}: {problem}",
            ( > 0, _) => $"{fileName}, line {line}: {problem}",
            _ => $"{fileName}: {problem}",
        };
}
