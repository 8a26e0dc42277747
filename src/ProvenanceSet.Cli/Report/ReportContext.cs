namespace ModelProvenance.Cli.Report;

/// <summary>What a report needs besides the result: how the question was asked and how to ask it again.</summary>
/// <param name="Title">The heading (e.g. "Audit of 'my-model'").</param>
/// <param name="Source">Where the distances came from (a CSV file, outputs files, a simulation).</param>
/// <param name="Command">The exact command line that produced the result.</param>
/// <param name="Version">The tool's version.</param>
internal sealed record ReportContext(string Title, string Source, string Command, string Version);
