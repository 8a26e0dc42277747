using ProvenanceSet.Cli.Results;

namespace ProvenanceSet.Cli.Report;

/// <summary>What a report needs besides the result: how the question was asked, on what, and how to ask it again.</summary>
/// <param name="Title">The heading (e.g. "Audit of 'my-model'").</param>
/// <param name="Source">Where the distances came from (a CSV file, outputs files, a simulation).</param>
/// <param name="Inputs">Every file the result was computed from, with its SHA-256 (none for a simulation).</param>
/// <param name="Run">When, with which tool and by which command the result was made.</param>
internal sealed record ReportContext(string Title, string Source, IReadOnlyList<InputFile> Inputs, RunRecord Run);
