using BenchmarkDotNet.Attributes;
using ModelProvenance.Kernels;

namespace ModelProvenance.Benchmarks;

/// <summary>Permutation rounds of one step with the scalar reference kernel (one thread).</summary>
[MemoryDiagnoser]
public class ScalarKernelBenchmarks
{
    private StepData _step = null!;
    private double[] _nulls = null!;

    [Params(10, 50, 200)]
    public int M { get; set; }

    [Params(1_000, 20_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _step = Shapes.FirstStep(M, N);
        _nulls = new double[4];
    }

    /// <summary>Four permutation rounds.</summary>
    [Benchmark(Baseline = true)]
    public double Scalar()
    {
        ScalarReferenceKernel.Instance.RunRounds(_step, 1, 0, 0, _nulls);
        return _nulls[0];
    }
}
