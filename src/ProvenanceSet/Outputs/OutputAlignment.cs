using System.Globalization;

namespace ProvenanceSet.Outputs;

/// <summary>
/// First pass over the outputs: which model answered which prompt. Resolves the candidates and the
/// prompts that every selected model answered (in the target's order), per the request's policy.
/// </summary>
internal sealed class OutputAlignment
{
    private OutputAlignment(string target, string[] candidates, string[] prompts, int dropped, int beyondLimit, List<string> notes)
    {
        Target = target;
        Candidates = candidates;
        Prompts = prompts;
        PromptsDropped = dropped;
        PromptsBeyondLimit = beyondLimit;
        Notes = notes;
    }

    public string Target { get; }

    public string[] Candidates { get; }

    /// <summary>The aligned prompts, in the order in which the target's outputs first list them.</summary>
    public string[] Prompts { get; }

    public int PromptsDropped { get; }

    public int PromptsBeyondLimit { get; }

    public List<string> Notes { get; }

    public static OutputAlignment Build(IEnumerable<ModelOutput> outputs, DistanceRequest request, IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        Validate(request);
        return Align(OutputIndex.Build(outputs, progress, cancellationToken), request);
    }

    /// <summary>The alignment of one target and its candidates on an index of the outputs (built once for many targets).</summary>
    public static OutputAlignment Align(OutputIndex index, DistanceRequest request)
    {
        Validate(request);
        var models = index.Models;
        var promptsOf = index.PromptsOf;
        if (index.Count == 0)
        {
            throw new ArgumentException(
                $"The outputs hold no records, so the target '{request.Target}' has none; give outputs with one record per model and prompt, such as {ModelOutputReader.RecordExample}.",
                nameof(request));
        }

        if (!promptsOf.TryGetValue(request.Target, out var targetSet))
        {
            throw new ArgumentException($"The target '{request.Target}' has no outputs; models present: {List(models)}.", nameof(request));
        }

        string[] candidates = request.Candidates is null
            ? [.. models.Where(m => m != request.Target)]
            : [.. request.Candidates];
        foreach (string candidate in candidates)
        {
            if (!promptsOf.ContainsKey(candidate))
            {
                throw new ArgumentException($"The candidate '{candidate}' has no outputs; models present: {List(models)}.", nameof(request));
            }
        }

        if (candidates.Length < 2)
        {
            throw new ArgumentException(
                $"Only {candidates.Length} candidate(s) besides the target '{request.Target}'; the procedure needs at least 2.", nameof(request));
        }

        var notes = new List<string>();
        var kept = new List<string>();
        var lacking = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string prompt in index.OrderOf[request.Target])
        {
            bool all = true;
            foreach (string candidate in candidates)
            {
                if (!promptsOf[candidate].Contains(prompt))
                {
                    all = false;
                    if (!lacking.TryGetValue(candidate, out var list))
                    {
                        lacking[candidate] = list = [];
                    }

                    list.Add(prompt);
                }
            }

            if (all)
            {
                kept.Add(prompt);
            }
        }

        // Prompts some candidate answered but the target did not.
        var targetLacks = candidates.SelectMany(c => promptsOf[c]).Where(p => !targetSet.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
        if (request.MissingPrompts == MissingPromptPolicy.Error && (lacking.Count > 0 || targetLacks.Count > 0))
        {
            string what = lacking.Count > 0
                ? $"candidate '{lacking.First().Key}' has no output for prompt '{lacking.First().Value[0]}'"
                : $"the target '{request.Target}' has no output for prompt '{targetLacks[0]}'";
            int more = lacking.Sum(l => l.Value.Count) + targetLacks.Count - 1;
            throw new ArgumentException($"Missing outputs: {what}{(more > 0 ? $" (and {more} more missing)" : string.Empty)}; "
                + "missing prompts were asked to be an error; by default they are dropped for every model and reported.", nameof(request));
        }

        int dropped = index.OrderOf[request.Target].Count - kept.Count;
        if (dropped > 0)
        {
            string who = string.Join("; ", lacking.OrderByDescending(l => l.Value.Count).Take(5)
                .Select(l => $"'{l.Key}' lacks {l.Value.Count} ({List(l.Value)})"));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{dropped} of {index.OrderOf[request.Target].Count} prompts were dropped for every model because some candidate lacks them: {who}."));
        }

        if (targetLacks.Count > 0)
        {
            notes.Add($"{targetLacks.Count} prompt(s) answered by some candidate but not by the target were ignored ({List(targetLacks)}).");
        }

        int beyond = 0;
        if (request.MaxPrompts is int limit && kept.Count > limit)
        {
            beyond = kept.Count - limit;
            kept.RemoveRange(limit, beyond);
            notes.Add($"Only the first {limit} aligned prompts are used (--max-prompts); {beyond} more were left out.");
        }

        if (kept.Count < 2)
        {
            throw new ArgumentException(
                $"Only {kept.Count} prompt(s) are answered by the target and every candidate; the procedure needs at least 2.", nameof(request));
        }

        return new OutputAlignment(request.Target, candidates, [.. kept], dropped, beyond, notes);
    }

    private static void Validate(DistanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Target))
        {
            throw new ArgumentException("The target name is empty.", nameof(request));
        }

        if (request.MaxPrompts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"MaxPrompts must be at least 1, got {request.MaxPrompts}.");
        }

        if (request.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"MaxDegreeOfParallelism must be -1 or at least 1, got {request.MaxDegreeOfParallelism}.");
        }

        if (request.Candidates is { } candidates)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string c in candidates)
            {
                if (string.IsNullOrWhiteSpace(c))
                {
                    throw new ArgumentException("A candidate name is empty.", nameof(request));
                }

                if (c == request.Target)
                {
                    throw new ArgumentException($"The target '{c}' is listed among its own candidates: remove it from the candidates.", nameof(request));
                }

                if (!seen.Add(c))
                {
                    throw new ArgumentException($"Duplicate candidate '{c}'.", nameof(request));
                }
            }
        }
    }

    private static string List(List<string> items)
    {
        const int Shown = 8;
        string shown = string.Join(", ", items.Take(Shown));
        return items.Count > Shown ? $"{shown}, ... ({items.Count} in all)" : shown;
    }
}

/// <summary>
/// One pass over the outputs: which model answered which prompt, the models in order of first
/// appearance and each model's prompts in the order its records first list them.
/// </summary>
internal sealed class OutputIndex
{
    private OutputIndex(List<string> models, Dictionary<string, HashSet<string>> promptsOf, Dictionary<string, List<string>> orderOf, long count)
    {
        Models = models;
        PromptsOf = promptsOf;
        OrderOf = orderOf;
        Count = count;
    }

    public List<string> Models { get; }

    public Dictionary<string, HashSet<string>> PromptsOf { get; }

    public Dictionary<string, List<string>> OrderOf { get; }

    /// <summary>Records read.</summary>
    public long Count { get; }

    public static OutputIndex Build(IEnumerable<ModelOutput> outputs, IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        var models = new List<string>();
        var promptsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var orderOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        long count = 0;
        foreach (var record in outputs)
        {
            if (!promptsOf.TryGetValue(record.Model, out var set))
            {
                promptsOf[record.Model] = set = new HashSet<string>(StringComparer.Ordinal);
                orderOf[record.Model] = [];
                models.Add(record.Model);
            }

            if (set.Add(record.PromptId))
            {
                orderOf[record.Model].Add(record.PromptId);
            }

            if (++count % 65_536 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new DistanceProgress(DistanceStage.Indexing, count, 0));
            }
        }

        progress?.Report(new DistanceProgress(DistanceStage.Indexing, count, count));
        return new OutputIndex(models, promptsOf, orderOf, count);
    }
}
