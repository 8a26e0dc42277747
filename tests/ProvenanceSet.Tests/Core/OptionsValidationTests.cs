namespace ProvenanceSet.Tests.Core;

/// <summary><see cref="ProvenanceOptions.Validate"/>: one check of the settings, naming the property first (the command line swaps in its option).</summary>
public class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Same(ProvenanceOptions.Default, ProvenanceOptions.Default.Validate());

    [Theory]
    [InlineData("Alpha", "Alpha must lie strictly between 0 and 1, got 1.5.")]
    [InlineData("Permutations", "Permutations must be at least 1, got 0.")]
    [InlineData("MaxDegreeOfParallelism", "MaxDegreeOfParallelism must be -1 (all cores) or at least 1, got -2.")]
    [InlineData("ResamplingRisk", "ResamplingRisk must lie strictly between 0 and 1, got 0.")]
    [InlineData("Variant", "Variant must be a defined ProvenanceVariant, got 9.")]
    [InlineData("Background", "Background must be a defined RobustBackground, got 9.")]
    [InlineData("PValueEstimator", "PValueEstimator must be a defined PValueEstimator, got 9.")]
    [InlineData("EarlyStopping", "EarlyStopping must be a defined EarlyStopping, got 9.")]
    public void EachBadSetting_IsNamedWithItsValue(string property, string message)
    {
        var options = property switch
        {
            "Alpha" => ProvenanceOptions.Default with { Alpha = 1.5 },
            "Permutations" => ProvenanceOptions.Default with { Permutations = 0 },
            "MaxDegreeOfParallelism" => ProvenanceOptions.Default with { MaxDegreeOfParallelism = -2 },
            "ResamplingRisk" => ProvenanceOptions.Default with { ResamplingRisk = 0 },
            "Variant" => ProvenanceOptions.Default with { Variant = (ProvenanceVariant)9 },
            "Background" => ProvenanceOptions.Default with { Background = (RobustBackground)9 },
            "PValueEstimator" => ProvenanceOptions.Default with { PValueEstimator = (PValueEstimator)9 },
            "EarlyStopping" => ProvenanceOptions.Default with { EarlyStopping = (EarlyStopping)9 },
            _ => throw new ArgumentOutOfRangeException(nameof(property)),
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.Equal(property, ex.ParamName);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);

        // Compute refuses the same settings with the same exception, before reading the data.
        var fromCompute = Assert.Throws<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(TestData.Matrix(1, 4, 20), options));
        Assert.Equal(ex.Message, fromCompute.Message);
    }
}
