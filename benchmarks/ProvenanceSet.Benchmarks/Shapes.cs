using ModelProvenance.Kernels;
using ModelProvenance.Procedure;
using ModelProvenance.Simulation;

namespace ModelProvenance.Benchmarks;

/// <summary>Step data of a given shape, as the procedure would build it for its first step.</summary>
internal static class Shapes
{
    public static StepData FirstStep(int m, int n)
    {
        var pool = new PoolSimulation { Candidates = m, Prompts = n, Sources = Math.Min(2, m), Seed = 1 }.Generate();
        var prepared = PreparedMatrix.Create(pool.Matrix, null);
        return prepared.BuildStep([.. Enumerable.Range(0, m)]);
    }
}
