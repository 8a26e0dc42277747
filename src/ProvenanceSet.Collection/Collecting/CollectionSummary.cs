namespace ProvenanceSet.Collection.Collecting;

/// <summary>What one <see cref="OutputCollector.CollectAsync"/> run did.</summary>
public sealed record CollectionSummary
{
    /// <summary>The outputs file.</summary>
    public required string OutputPath { get; init; }

    /// <summary>One result per model, in the order the models were given.</summary>
    public required IReadOnlyList<ModelCollectionResult> Models { get; init; }

    /// <summary>The run's prompts.</summary>
    public required int PromptCount { get; init; }

    /// <summary>What was repaired in the file before the run (an incomplete last line left by a crash was cut), or null.</summary>
    public string? Repair { get; init; }

    /// <summary>True when every model has an answer to every prompt in the file.</summary>
    public bool IsComplete => Models.All(m => m.Failure is null && m.Completed == m.Total);
}

/// <summary>One model's part of a <see cref="CollectionSummary"/>.</summary>
public sealed record ModelCollectionResult
{
    /// <summary>The model's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its endpoint (without credentials).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The run's prompts.</summary>
    public required int Total { get; init; }

    /// <summary>Answers that were already in the file (skipped).</summary>
    public required int AlreadyPresent { get; init; }

    /// <summary>Answers collected and appended in this run.</summary>
    public required int Collected { get; init; }

    /// <summary>Retries in this run.</summary>
    public required int Retries { get; init; }

    /// <summary>Why the model stopped before every prompt had an answer, or null.</summary>
    public CollectionFailure? Failure { get; init; }

    /// <summary>Answers in the file for the run's prompts: <see cref="AlreadyPresent"/> + <see cref="Collected"/>.</summary>
    public int Completed => AlreadyPresent + Collected;
}

/// <summary>Why a model stopped.</summary>
/// <param name="Kind">A refusal that retrying cannot fix, or transient failures that outlasted the retries.</param>
/// <param name="StatusCode">The HTTP status of the last failure, when there was one.</param>
/// <param name="Message">One line naming the model, its endpoint and the failure (never an API key).</param>
public sealed record CollectionFailure(CollectionFailureKind Kind, int? StatusCode, string Message);

/// <summary>The two ways a model stops.</summary>
public enum CollectionFailureKind
{
    /// <summary>The endpoint refused a request with a status that retrying cannot fix (400, 401, 403, 404, 422, ...): a wrong URL, model id, key or parameter.</summary>
    Rejected = 0,

    /// <summary>A request still failed transiently (429, 5xx, timeout, connection refused or dropped) after every retry.</summary>
    RetriesExhausted = 1,
}
