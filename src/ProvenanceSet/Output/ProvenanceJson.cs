using System.Text;
using System.Text.Json;

namespace ModelProvenance;

/// <summary>
/// The result JSON: camelCase names that other tools depend on, plus
/// optional extra fields. Infinite statistics are written as the strings "Infinity"/"-Infinity".
/// </summary>
public static class ProvenanceJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>One result as a JSON object.</summary>
    /// <param name="result">The result to write.</param>
    public static string Serialize(ProvenanceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Build(writer => Write(writer, result));
    }

    /// <summary>Several results as a JSON array, in order.</summary>
    /// <param name="results">The results to write.</param>
    public static string Serialize(IEnumerable<ProvenanceResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return Build(writer =>
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                Write(writer, result);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Writes one result object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="result">The result to write.</param>
    public static void Write(Utf8JsonWriter writer, ProvenanceResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteNumber("alpha", result.Alpha);
        writer.WriteNumber("permutations", result.Permutations);
        writer.WriteNumber("seed", result.Seed);
        writer.WriteString("variant", VariantId(result.Variant));
        writer.WriteStartArray("set");
        foreach (string name in result.Set)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("steps");
        foreach (var step in result.Steps)
        {
            writer.WriteStartObject();
            writer.WriteString("candidate", step.Candidate);
            writer.WriteNumber("activeCount", step.ActiveCount);
            WriteDouble(writer, "tStatistic", step.TStatistic);
            writer.WriteNumber("pValue", step.PValue);
            writer.WriteNumber("pValueMonotone", step.PValueMonotone);
            writer.WriteBoolean("included", step.Included);
            writer.WriteNumber("permutationsRun", step.PermutationsRun);
            writer.WriteNumber("exceedanceCount", step.ExceedanceCount);
            writer.WriteNumber("tieCount", step.TieCount);
            if (step.BackgroundPValue is double background)
            {
                writer.WriteNumber("backgroundPValue", background);
            }

            if (step.PermutationPValue is double permutation)
            {
                writer.WriteNumber("permutationPValue", permutation);
            }

            if (step.BackgroundGroups is int groups)
            {
                writer.WriteNumber("backgroundGroups", groups);
            }

            // The full t-vector (z-vector for the robust variant), aligned with the active candidates' names;
            // a non-finite value is null.
            writer.WriteStartArray("activeCandidates");
            foreach (int i in step.ActiveCandidates)
            {
                writer.WriteStringValue(result.Candidates[i].Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("tStatistics");
            foreach (double t in step.TStatistics)
            {
                if (double.IsFinite(t))
                {
                    writer.WriteNumberValue(t);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("candidates");
        foreach (var c in result.Candidates)
        {
            writer.WriteStartObject();
            writer.WriteString("name", c.Name);
            writer.WriteNumber("meanDistance", c.MeanDistance);
            writer.WriteNumber("inclusionPValue", c.InclusionPValue);
            writer.WriteNumber("niScore", c.NiScore);
            writer.WriteBoolean("inSet", c.InSet);
            WriteDouble(writer, "tStatisticFirstStep", c.TStatisticFirstStep);
            if (c.SetRank is int rank)
            {
                writer.WriteNumber("setRank", rank);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("diagnostics");
        foreach (string d in result.Diagnostics)
        {
            writer.WriteStringValue(d);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("assumptions");
        foreach (var check in result.Assumptions)
        {
            writer.WriteStartObject();
            writer.WriteString("name", check.Name);
            writer.WriteBoolean("holds", check.Holds);
            writer.WriteString("detail", check.Detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (result.Background is RobustBackground calibration)
        {
            writer.WriteString("background", BackgroundId(calibration));
        }

        if (result.TargetName is not null)
        {
            writer.WriteString("target", result.TargetName);
        }

        if (result.Distance is not null)
        {
            writer.WriteString("distance", result.Distance);
        }

        writer.WriteNumber("candidateCount", result.Candidates.Count);
        writer.WriteNumber("promptCount", result.PromptCount);
        writer.WriteNumber("groupCount", result.GroupCount);
        writer.WriteBoolean("exact", result.Exact);
        writer.WriteBoolean("fullPath", result.FullPath);
        writer.WriteString("pValueEstimator", result.PValueEstimator == PValueEstimator.PlusOne ? "plus-one" : "proportion");
        writer.WriteString("stoppingReason", StoppingReasonId(result.StoppingReason));
        writer.WriteEndObject();
    }

    /// <summary>The stable id of a variant as written in JSON and accepted by the command line.</summary>
    /// <param name="variant">The variant.</param>
    public static string VariantId(ProvenanceVariant variant) => variant switch
    {
        ProvenanceVariant.Faithful => "faithful",
        ProvenanceVariant.Robust => "robust",
        _ => variant.ToString().ToLowerInvariant(),
    };

    /// <summary>The stable id of a robust calibration as written in JSON and accepted by the command line.</summary>
    /// <param name="background">The calibration.</param>
    public static string BackgroundId(RobustBackground background) => background switch
    {
        RobustBackground.Normal => "normal",
        RobustBackground.StudentT4 => "t4",
        RobustBackground.Clustered => "clustered",
        _ => background.ToString().ToLowerInvariant(),
    };

    /// <summary>The stable id of a stopping reason as written in JSON.</summary>
    /// <param name="reason">The reason.</param>
    public static string StoppingReasonId(StoppingReason reason) => reason switch
    {
        StoppingReason.NotRejected => "not-rejected",
        StoppingReason.OneCandidateLeft => "one-candidate-left",
        StoppingReason.FullPathCompleted => "full-path-completed",
        StoppingReason.BackgroundTooSmall => "background-too-small",
        StoppingReason.TooFewBackgroundGroups => "too-few-background-groups",
        _ => reason.ToString(),
    };

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static string Build(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
