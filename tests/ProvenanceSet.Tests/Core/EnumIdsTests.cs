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
    public void EveryUnderlyingSize_RoundTrips_InValueOrder()
    {
        // The table keeps each member's bits: negative members of signed enums and wide unsigned ones must come back exactly.
        RoundTrips<SmallKind>(["first-one", "second-one"]);
        RoundTrips<ShortKind>(["minus", "plus"]);
        RoundTrips<SignedKind>(["negative", "zero", "big"]);
        RoundTrips<WideKind>(["low", "top"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnumIds.ToId((SignedKind)(-6)));
    }

    [Fact]
    public void ToId_RefusesUndefinedValues() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EnumIds.ToId((ProvenanceVariant)7));

    private static void RoundTrips<TEnum>(string[] ids)
        where TEnum : struct, Enum
    {
        Assert.Equal(ids, EnumIds.Ids<TEnum>());
        foreach (var value in Enum.GetValues<TEnum>())
        {
            Assert.Equal(value, EnumIds.Parse<TEnum>(EnumIds.ToId(value)));
            Assert.Equal(JsonSerializer.Serialize(value, KebabEnums), $"\"{EnumIds.ToId(value)}\"");
        }
    }

    private enum SmallKind : byte
    {
        FirstOne = 1,
        SecondOne = 200,
    }

    private enum ShortKind : short
    {
        Plus = 1,
        Minus = -1,
    }

    private enum SignedKind : long
    {
        Big = long.MaxValue,
        Zero = 0,
        Negative = -5,
    }

    private enum WideKind : ulong
    {
        Low = 3,
        Top = ulong.MaxValue,
    }

    private static void AllAgree<TEnum>()
        where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            Assert.Equal(JsonSerializer.Serialize(value, KebabEnums), $"\"{EnumIds.ToId(value)}\"");
        }
    }
}
