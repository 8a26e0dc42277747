using ProvenanceSet.Cli.Results;

namespace ProvenanceSet.Cli.Report;

/// <summary>
/// Everything the screen's report and lineage graph show: every model audited as a target against the
/// others, the pairwise distances between the models, and how the run was made. A plain record that
/// the screen command fills; <see cref="ScreenReport"/> and <see cref="LineageDot"/> only read it.
/// </summary>
/// <param name="Models">Every screened model, in order of first appearance in the outputs.</param>
/// <param name="Targets">One audit per target, in the order they ran: the target's name and its result
/// (whose candidates are other models of <paramref name="Models"/>).</param>
/// <param name="MeanDistances">Models × Models, in the order of <paramref name="Models"/>: the mean raw
/// distance between two models' outputs over the prompts. Symmetric, 0 on the diagonal, NaN where unknown.</param>
/// <param name="DistanceName">The distance, as the audit names it (e.g. "token-edit@20/words").</param>
/// <param name="Alpha">The significance level each target's audit used.</param>
/// <param name="FamilyAlpha">When the user asked for a family-wise level: that level, with
/// <paramref name="Alpha"/> = FamilyAlpha / number of targets (Bonferroni). Null otherwise.</param>
/// <param name="Run">When, with which tool and by which command the screen ran.</param>
/// <param name="Inputs">Every file the screen read, with its SHA-256.</param>
internal sealed record ScreenReportData(
    IReadOnlyList<string> Models,
    IReadOnlyList<ScreenTarget> Targets,
    double[,] MeanDistances,
    string DistanceName,
    double Alpha,
    double? FamilyAlpha,
    RunRecord Run,
    IReadOnlyList<InputFile> Inputs);

/// <summary>One target's audit in a screen.</summary>
/// <param name="Target">The target's name (one of the screened models).</param>
/// <param name="Result">Its provenance set among the other models.</param>
internal sealed record ScreenTarget(string Target, ProvenanceResult Result);
