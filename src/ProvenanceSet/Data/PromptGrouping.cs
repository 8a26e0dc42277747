namespace ProvenanceSet.Data;

/// <summary>
/// Prompt groups for <see cref="ProvenanceOptions.PromptGroups"/>: prompts of one group (several
/// prompts cut from one document, paraphrases of one question) are permuted together.
/// </summary>
public static class PromptGrouping
{
    /// <summary>Turns one label per prompt into group keys (equal labels, equal keys).</summary>
    /// <param name="labels">The group label of every prompt, in prompt order.</param>
    /// <returns>A key per prompt: the 0-based index of its label's first appearance.</returns>
    /// <exception cref="ArgumentException">A label is null or empty.</exception>
    public static int[] FromLabels(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[labels.Count];
        for (int t = 0; t < labels.Count; t++)
        {
            if (string.IsNullOrEmpty(labels[t]))
            {
                throw new ArgumentException($"The group label of prompt {t + 1} is empty.", nameof(labels));
            }

            if (!keys.TryGetValue(labels[t], out int key))
            {
                keys[labels[t]] = key = keys.Count;
            }

            result[t] = key;
        }

        return result;
    }

    /// <summary>
    /// Reads a CSV of <c>prompt_id,group</c> rows (an optional header <c>prompt_id,group</c> is skipped)
    /// and returns the group key of each of <paramref name="promptIds"/>. Ids in the file that the
    /// prompts do not use are ignored; a prompt without a group is an error.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="promptIds">The prompts to group, in matrix order.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ProvenanceFormatException">A malformed line, a duplicated prompt id, or a prompt without a group.</exception>
    public static int[] ReadCsv(string path, IReadOnlyList<string> promptIds)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(promptIds);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var groupOf = new Dictionary<string, (string Group, int Line)>(StringComparer.Ordinal);
        var fields = new List<string>();
        var quoted = new List<bool>();
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var csv = new CsvRecordReader(reader, path);
        while (csv.TryRead(fields, quoted))
        {
            int lineNumber = csv.RecordLine;
            if (fields.Count != 2)
            {
                throw new ProvenanceFormatException(path, lineNumber, 0, $"expected two fields: prompt_id,group (found {fields.Count}).");
            }

            // Quoted ids are kept as written, like the distance CSV's.
            string id = quoted[0] ? fields[0] : fields[0].Trim(), group = quoted[1] ? fields[1] : fields[1].Trim();
            if (groupOf.Count == 0 && id == DistanceMatrixCsv.PromptIdHeader && group == "group")
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(group))
            {
                throw new ProvenanceFormatException(path, lineNumber, string.IsNullOrWhiteSpace(id) ? 1 : 2, "empty prompt_id or group.");
            }

            if (!groupOf.TryAdd(id, (group, lineNumber)))
            {
                throw new ProvenanceFormatException(path, lineNumber, 1, $"duplicate prompt_id '{id}' (also on line {groupOf[id].Line}).");
            }
        }

        var labels = new string[promptIds.Count];
        for (int t = 0; t < promptIds.Count; t++)
        {
            if (!groupOf.TryGetValue(promptIds[t], out var entry))
            {
                throw new ProvenanceFormatException(path, 0, 0, $"prompt '{promptIds[t]}' has no group.");
            }

            labels[t] = entry.Group;
        }

        return FromLabels(labels);
    }
}
