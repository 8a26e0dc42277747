namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The tests that run MSBuild on the command-line project ('dotnet run', 'dotnet pack') take turns: two builds
/// of one project at once would write the same intermediate files.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ToolBuildsTakeTurns
{
    public const string Name = "Builds the command-line project";
}
