namespace ProvenanceSet.Collection.Collecting;

/// <summary>
/// Holds back every request to one endpoint until a server's Retry-After has passed: a rate limit
/// is the server's, not one request's. A pause only ever moves later.
/// </summary>
internal sealed class EndpointPause(TimeProvider time)
{
    private long _pausedUntil = long.MinValue;

    /// <summary>Pauses the endpoint for <paramref name="delay"/> from now, unless it is already paused longer.</summary>
    public void PauseFor(TimeSpan delay)
    {
        long until = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
        long seen;
        while ((seen = Interlocked.Read(ref _pausedUntil)) < until && Interlocked.CompareExchange(ref _pausedUntil, until, seen) != seen)
        {
            // Retry the exchange: another request moved the pause.
        }
    }

    /// <summary>Completes when the endpoint is no longer paused.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        long until = Interlocked.Read(ref _pausedUntil);
        return until > now
            ? Task.Delay(time.GetElapsedTime(now, until), time, cancellationToken)
            : Task.CompletedTask;
    }
}
