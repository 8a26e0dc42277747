using System.Text.Json;
using System.Text.Json.Serialization;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Tests.Core;

/// <summary>The ids the result JSON writes and the command line accepts: one mapping, and the ids users already rely on.</summary>
public class EnumIdsTests
{
    private static readonly JsonSerializerOptions KebabEnums = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    [Fact]
    public void Ids_AreTheOnesUsersAlreadyType()
    {
        Assert.Equal(["faithful", "robust"], EnumIds.Ids<ProvenanceVariant>());
        Assert.Equal(["normal", "t4", "clustered"], EnumIds.Ids<RobustBackground>());
        Assert.Equal(["plus-one", "proportion"], EnumIds.Ids<PValueEstimator>());
        Assert.Equal(["none", "decided", "sequential"], EnumIds.Ids<EarlyStopping>());
        Assert.Equal(["not-rejected", "one-candidate-left", "full-path-completed", "background-too-small", "too-few-background-groups"], EnumIds.Ids<StoppingReason>());
        Assert.Equal(["drop", "error"], EnumIds.Ids<MissingPromptPolicy>());
    }

    [Fact]
    public void ToId_IsWhatTheSerializerWritesWithTheKebabPolicy()
    {
        AllAgree<ProvenanceVariant>();
        AllAgree<RobustBackground>();
        AllAgree<PValueEstimator>();
        AllAgree<EarlyStopping>();
        AllAgree<StoppingReason>();
        AllAgree<MissingPromptPolicy>();
    }

    [Fact]
    public void Parse_InvertsToId_AndRefusesOtherSpellings()
    {
        foreach (var value in Enum.GetValues<RobustBackground>())
        {
            Assert.Equal(value, EnumIds.Parse<RobustBackground>(EnumIds.ToId(value)));
        }

        Assert.False(EnumIds.TryParse<RobustBackground>("StudentT4", out _));
        Assert.False(EnumIds.TryParse<RobustBackground>("student-t4", out _));
        var ex = Assert.Throws<ArgumentException>(() => EnumIds.Parse<EarlyStopping>("when-decided"));
        Assert.Contains("none, decided, sequential", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToId_RefusesUndefinedValues() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EnumIds.ToId((ProvenanceVariant)7));

    private static void AllAgree<TEnum>()
        where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            Assert.Equal(JsonSerializer.Serialize(value, KebabEnums), $"\"{EnumIds.ToId(value)}\"");
        }
    }
}
