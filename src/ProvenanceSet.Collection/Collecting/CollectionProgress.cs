namespace ProvenanceSet.Collection.Collecting;

/// <summary>Where one model stands (<see cref="OutputCollector.CollectAsync"/> reports it after every answer, retry and stop).</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Completed">Answers in the file for this model and the run's prompts, including <paramref name="AlreadyPresent"/>.</param>
/// <param name="Total">The run's prompts.</param>
/// <param name="AlreadyPresent">Answers that were in the file before the run (skipped).</param>
/// <param name="Retries">Retries so far in this run.</param>
/// <param name="Status">Running, completed or stopped.</param>
public readonly record struct CollectionProgress(string Model, int Completed, int Total, int AlreadyPresent, int Retries, CollectionModelStatus Status);

/// <summary>The state of one model's collection.</summary>
public enum CollectionModelStatus
{
    /// <summary>Still asking.</summary>
    Running = 0,

    /// <summary>Every prompt has an answer in the file.</summary>
    Completed = 1,

    /// <summary>Stopped by a failure (see <see cref="ModelCollectionResult.Failure"/>); its answers so far are in the file.</summary>
    Stopped = 2,
}
