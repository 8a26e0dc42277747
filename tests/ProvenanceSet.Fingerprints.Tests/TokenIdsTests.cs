using ProvenanceSet.Fingerprints.Tokens;

namespace ProvenanceSet.Fingerprints.Tests;

/// <summary>The ids that <c>--token-distance</c> and <c>--tokenizer</c> accept come from <see cref="EnumIds"/> and stay the ones users type.</summary>
public class TokenIdsTests
{
    [Fact]
    public void TokenDistanceIds() => Assert.Equal(["disagreement", "first-token", "edit"], EnumIds.Ids<TokenDistanceKind>());

    [Fact]
    public void TokenizerIds() => Assert.Equal(["auto", "cl100k", "o200k", "gpt2", "words", "producer"], EnumIds.Ids<TokenizerKind>());
}
