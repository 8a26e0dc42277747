using System.Globalization;
using ProvenanceSet.Data;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Benchmarks;

/// <summary>Inputs of a given shape, as the procedure builds them for its first step.</summary>
internal static class Shapes
{
    /// <summary>Prompts per group in the grouped shape.</summary>
    public const int GroupSize = 10;

    /// <summary>The first step of a simulated pool: m candidates (2 of them sources), n prompts.</summary>
    public static StepData FirstStep(int m, int n, int groupSize = 1)
    {
        int[]? groups = groupSize > 1 ? [.. Enumerable.Range(0, n).Select(t => t / groupSize)] : null;
        var prepared = PreparedMatrix.Create(Pool(m, n), groups);
        return prepared.BuildStep([.. Enumerable.Range(0, m)]);
    }

    /// <summary>The simulated pool (the paper's setting is m = 50, 2 sources).</summary>
    public static DistanceMatrix Pool(int m, int n) =>
        new PoolSimulation { Candidates = m, Prompts = n, Sources = Math.Min(2, m), Seed = 1 }.Generate().Matrix;

    /// <summary>
    /// The arguments of an export option, <c>OPTION PATH [M N]</c> (both or neither of M and N): the path and the shape, with
    /// m = 50 and <paramref name="defaultN"/> prompts when the shape is left out.
    /// </summary>
    public static (string Path, int M, int N) ExportArguments(string[] args, string option, int defaultN)
    {
        int at = Array.IndexOf(args, option);
        bool shape = args.Length > at + 3;
        return (args[at + 1],
            shape ? int.Parse(args[at + 2], CultureInfo.InvariantCulture) : 50,
            shape ? int.Parse(args[at + 3], CultureInfo.InvariantCulture) : defaultN);
    }
}
