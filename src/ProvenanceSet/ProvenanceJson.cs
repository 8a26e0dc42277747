using System.Text;
using System.Text.Json;

namespace ProvenanceSet;

/// <summary>
/// The result JSON: camelCase names that other tools depend on, plus optional extra fields.
/// Every number field is a JSON number or null, never a string: a NaN or infinite value (a t of a
/// zero-variance candidate is ±∞) is written as null, and one entry appended to <c>diagnostics</c> names
/// each such field and its value. Enum values are written as their <see cref="EnumIds"/> ids.
/// </summary>
/// <remarks>
/// Written field by field rather than by <see cref="JsonSerializer"/>: no built-in number handling writes a
/// non-finite double as null and records where (<c>AllowNamedFloatingPointLiterals</c> writes the string
/// <c>"NaN"</c>, which typed readers reject), and the field names and order are a contract of their own.
/// </remarks>
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
        var notFinite = new List<string>();
        writer.WriteStartObject();
        WriteDouble(writer, "alpha", result.Alpha, notFinite);
        writer.WriteNumber("permutations", result.Permutations);
        writer.WriteNumber("seed", result.Seed);
        writer.WriteString("variant", EnumIds.ToId(result.Variant));
        writer.WriteStartArray("set");
        foreach (string name in result.Set)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("steps");
        for (int s = 0; s < result.Steps.Count; s++)
        {
            var step = result.Steps[s];
            string at = $"steps[{s}].";
            writer.WriteStartObject();
            writer.WriteString("candidate", step.Candidate);
            writer.WriteNumber("activeCount", step.ActiveCount);
            // "tStatistic(s)" name the field in both variants (robust z-scores included): readers depend on the names.
            WriteDouble(writer, "tStatistic", step.Statistic, notFinite, at);
            WriteDouble(writer, "pValue", step.PValue, notFinite, at);
            WriteDouble(writer, "pValueMonotone", step.PValueMonotone, notFinite, at);
            writer.WriteBoolean("included", step.Included);
            writer.WriteNumber("permutationsRun", step.PermutationsRun);
            writer.WriteNumber("exceedanceCount", step.ExceedanceCount);
            writer.WriteNumber("tieCount", step.TieCount);
            if (step.BackgroundPValue is double background)
            {
                WriteDouble(writer, "backgroundPValue", background, notFinite, at);
            }

            if (step.PermutationPValue is double permutation)
            {
                WriteDouble(writer, "permutationPValue", permutation, notFinite, at);
            }

            if (step.BackgroundGroups is int groups)
            {
                writer.WriteNumber("backgroundGroups", groups);
            }

            // The full t-vector (z-vector for the robust variant), aligned with the active candidates' names.
            writer.WriteStartArray("activeCandidates");
            foreach (int i in step.ActiveCandidates)
            {
                writer.WriteStringValue(result.Candidates[i].Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("tStatistics");
            for (int k = 0; k < step.CandidateStatistics.Count; k++)
            {
                WriteDoubleValue(writer, step.CandidateStatistics[k], notFinite, at, "tStatistics", k);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("candidates");
        for (int i = 0; i < result.Candidates.Count; i++)
        {
            var c = result.Candidates[i];
            string at = $"candidates[{i}].";
            writer.WriteStartObject();
            writer.WriteString("name", c.Name);
            WriteDouble(writer, "meanDistance", c.MeanDistance, notFinite, at);
            WriteDouble(writer, "inclusionPValue", c.InclusionPValue, notFinite, at);
            WriteDouble(writer, "niScore", c.NiScore, notFinite, at);
            writer.WriteBoolean("inSet", c.InSet);
            WriteDouble(writer, "tStatisticFirstStep", c.FirstStepStatistic, notFinite, at);
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

        // Every double is written above this point, so the list is complete.
        if (notFinite.Count > 0)
        {
            writer.WriteStringValue(NotFiniteDiagnostic(notFinite));
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
            writer.WriteString("background", EnumIds.ToId(calibration));
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
        writer.WriteString("pValueEstimator", EnumIds.ToId(result.PValueEstimator));
        writer.WriteString("stoppingReason", EnumIds.ToId(result.StoppingReason));
        writer.WriteEndObject();
    }

    // JSON has no NaN or infinity, and a string in a number field breaks typed readers: null instead, named in the diagnostics.
    private static void WriteDouble(Utf8JsonWriter writer, string name, double value, List<string> notFinite, string at = "")
    {
        writer.WritePropertyName(name);
        WriteDoubleValue(writer, value, notFinite, at, name);
    }

    // The field's name is only built for a value that is not finite (a statistics vector can hold millions of values).
    private static void WriteDoubleValue(Utf8JsonWriter writer, double value, List<string> notFinite, string at, string name, int index = -1)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
            string field = index < 0 ? at + name : $"{at}{name}[{index}]";
            notFinite.Add($"{field} ({(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity")})");
        }
    }

    private static string NotFiniteDiagnostic(List<string> fields)
    {
        const int Shown = 10;
        string list = string.Join(", ", fields.Take(Shown));
        string more = fields.Count > Shown ? $" and {fields.Count - Shown} more" : "";
        return $"These numbers are not finite and are written as null (JSON has no NaN or infinity): {list}{more}.";
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
