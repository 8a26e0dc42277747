namespace ProvenanceSet.Embeddings.MiniLM.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_documented_values()
    {
        var options = MiniLmEmbeddingOptions.Default;
        Assert.Equal(128, options.MaxTokens);
        Assert.Equal(MiniLmEmbeddingOptions.DefaultBatchSize, options.BatchSize);
        Assert.Equal(Environment.ProcessorCount, options.MaxDegreeOfParallelism);
        Assert.Equal(options, new MiniLmEmbeddingOptions());
    }

    [Fact]
    public void With_changes_a_copy()
    {
        var changed = MiniLmEmbeddingOptions.Default with { MaxTokens = 256, BatchSize = 8, MaxDegreeOfParallelism = 1 };
        Assert.Equal((256, 8, 1), (changed.MaxTokens, changed.BatchSize, changed.MaxDegreeOfParallelism));
        Assert.Equal(128, MiniLmEmbeddingOptions.Default.MaxTokens);
        Assert.NotEqual(MiniLmEmbeddingOptions.Default, changed);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(513)]
    public void MaxTokens_out_of_range_is_refused(int maxTokens) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLmEmbeddingOptions.Default with { MaxTokens = maxTokens });

    [Fact]
    public void BatchSize_and_parallelism_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLmEmbeddingOptions.Default with { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLmEmbeddingOptions.Default with { MaxDegreeOfParallelism = 0 });
    }
}
