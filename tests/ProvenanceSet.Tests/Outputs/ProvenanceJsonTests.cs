using System.Text.Json;
using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Outputs;

/// <summary>The result JSON: every number field is a JSON number or null, never a string, and a null says why.</summary>
public class ProvenanceJsonTests
{
    /// <summary>Every property the writer emits as a number (arrays of numbers included).</summary>
    private static readonly HashSet<string> NumberFields =
    [
        "alpha", "permutations", "seed", "activeCount", "tStatistic", "pValue", "pValueMonotone", "permutationsRun",
        "exceedanceCount", "tieCount", "backgroundPValue", "permutationPValue", "backgroundGroups", "tStatistics",
        "meanDistance", "inclusionPValue", "niScore", "tStatisticFirstStep", "setRank", "candidateCount", "promptCount", "groupCount",
    ];

    [Fact]
    public void NonFiniteNumbers_AreWrittenAsNull_AndNamedInTheDiagnostics()
    {
        var computed = ModelProvenanceSet.Compute(TestData.Matrix(5, 4, 30, i => i == 0 ? -2 : 0),
            ProvenanceOptions.Default with { Variant = ProvenanceVariant.Robust, Permutations = 99, FullPath = true });
        var step = computed.Steps[0] with
        {
            Statistic = double.NegativeInfinity,
            CandidateStatistics = [double.NaN, double.PositiveInfinity, 1.5, double.NegativeInfinity],
            PValue = double.NaN,
            BackgroundPValue = double.PositiveInfinity,
        };
        var result = computed with
        {
            Alpha = double.NaN,
            Steps = [step, .. computed.Steps.Skip(1)],
            Candidates =
            [
                computed.Candidates[0] with { MeanDistance = double.PositiveInfinity, FirstStepStatistic = double.NaN },
                computed.Candidates[1] with { NiScore = double.NegativeInfinity, InclusionPValue = double.NaN },
                .. computed.Candidates.Skip(2),
            ],
        };

        string text = ProvenanceJson.Serialize(result);
        using var json = JsonDocument.Parse(text);
        AssertNumbersOrNulls(json.RootElement);
        var root = json.RootElement;
        var first = root.GetProperty("steps")[0];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("alpha").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("tStatistic").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("pValue").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("backgroundPValue").ValueKind);
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Number, JsonValueKind.Null],
            first.GetProperty("tStatistics").EnumerateArray().Select(e => e.ValueKind));
        Assert.Equal(1.5, first.GetProperty("tStatistics")[2].GetDouble());
        var candidates = root.GetProperty("candidates");
        Assert.Equal(JsonValueKind.Null, candidates[0].GetProperty("meanDistance").ValueKind);
        Assert.Equal(JsonValueKind.Null, candidates[1].GetProperty("niScore").ValueKind);

        string diagnostic = Assert.Single(root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!),
            d => d.Contains("not finite", StringComparison.Ordinal));
        foreach (string field in new[]
        {
            "alpha (NaN)", "steps[0].tStatistic (-Infinity)", "steps[0].tStatistics[0] (NaN)", "steps[0].tStatistics[1] (Infinity)",
            "steps[0].tStatistics[3] (-Infinity)", "steps[0].pValue (NaN)", "steps[0].backgroundPValue (Infinity)",
            "candidates[0].meanDistance (Infinity)", "candidates[0].tStatisticFirstStep (NaN)",
            "candidates[1].inclusionPValue (NaN)",
        })
        {
            Assert.Contains(field, diagnostic, StringComparison.Ordinal);
        }

        // Eleven fields: ten are named, the rest counted.
        Assert.Contains("and 1 more", diagnostic, StringComparison.Ordinal);

        // The result's own diagnostics are all still there, before the writer's.
        Assert.Equal(computed.Diagnostics, root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!).Take(computed.Diagnostics.Count));
    }

    [Fact]
    public void ZeroVarianceT_IsNull_NotAString()
    {
        // Candidate 0 is a constant 0.75 closer than the others' mean on every prompt: its t is −∞.
        var values = new double[3, 25];
        for (int t = 0; t < 25; t++)
        {
            values[1, t] = t % 2;
            values[2, t] = 1 - (t % 2);
            values[0, t] = 0.5 - 0.75;
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), ProvenanceOptions.Default with { Permutations = 99 });
        Assert.Equal(double.NegativeInfinity, result.Steps[0].Statistic);

        using var json = JsonDocument.Parse(ProvenanceJson.Serialize(result));
        AssertNumbersOrNulls(json.RootElement);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("steps")[0].GetProperty("tStatistic").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("candidates")[0].GetProperty("tStatisticFirstStep").ValueKind);
        Assert.Contains(json.RootElement.GetProperty("diagnostics").EnumerateArray(),
            d => d.GetString()!.Contains("steps[0].tStatistic (-Infinity)", StringComparison.Ordinal)
                && d.GetString()!.Contains("candidates[0].tStatisticFirstStep (-Infinity)", StringComparison.Ordinal));
    }

    [Fact]
    public void FiniteResult_HasNoNullNumbers_AndNoExtraDiagnostic()
    {
        var result = ModelProvenanceSet.Compute(TestData.Matrix(6, 5, 40, i => i == 0 ? -2 : 0), ProvenanceOptions.Default with { Permutations = 99 });
        string text = ProvenanceJson.Serialize(result);
        using var json = JsonDocument.Parse(text);
        AssertNumbersOrNulls(json.RootElement);
        Assert.DoesNotContain("null", text, StringComparison.Ordinal);
        Assert.Equal(result.Diagnostics, json.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!));
    }

    [Fact]
    public void SeveralResults_EachNameTheirOwnFields()
    {
        var computed = ModelProvenanceSet.Compute(TestData.Matrix(7, 3, 20), ProvenanceOptions.Default with { Permutations = 99 });
        var broken = computed with { Candidates = [computed.Candidates[0] with { MeanDistance = double.NaN }, .. computed.Candidates.Skip(1)] };
        using var json = JsonDocument.Parse(ProvenanceJson.Serialize([computed, broken]));
        AssertNumbersOrNulls(json.RootElement);
        static bool Names(JsonElement result) => result.GetProperty("diagnostics").EnumerateArray()
            .Any(d => d.GetString()!.Contains("candidates[0].meanDistance (NaN)", StringComparison.Ordinal));
        Assert.False(Names(json.RootElement[0]));
        Assert.True(Names(json.RootElement[1]));
    }

    /// <summary>Walks the whole tree: every number field holds a JSON number or null (array elements included).</summary>
    private static void AssertNumbersOrNulls(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string at = $"{path}.{property.Name}";
                    if (NumberFields.Contains(property.Name))
                    {
                        var values = property.Value.ValueKind == JsonValueKind.Array ? [.. property.Value.EnumerateArray()] : new[] { property.Value };
                        Assert.All(values, v => Assert.True(v.ValueKind is JsonValueKind.Number or JsonValueKind.Null, $"{at} is a {v.ValueKind}: {v.GetRawText()}"));
                    }

                    AssertNumbersOrNulls(property.Value, at);
                }

                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AssertNumbersOrNulls(item, $"{path}[{i++}]");
                }

                break;
            case JsonValueKind.String:
                string value = element.GetString()!;
                Assert.False(value is "NaN" or "Infinity" or "-Infinity", $"{path} holds the string {value}");
                break;
        }
    }
}
