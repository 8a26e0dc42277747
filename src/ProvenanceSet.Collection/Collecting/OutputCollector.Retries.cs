using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using ProvenanceSet.Collection.Prompts;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Collection.Collecting;

/// <summary>The retries of <see cref="OutputCollector"/>: a Polly retry strategy configured from <see cref="CollectionOptions"/>.</summary>
public sealed partial class OutputCollector
{
    private static readonly ResiliencePropertyKey<Request> RequestKey = new("ProvenanceSet.Collection.Request");

    /// <summary>
    /// Retries an attempt whose failure <see cref="FailureClassifier"/> calls transient, at most
    /// <see cref="CollectionOptions.MaxRetries"/> times, after <see cref="RetryDelay"/>. The delay is
    /// computed here rather than by Polly's own exponential jitter, whose random draws are shared by
    /// all requests and so depend on their timing: ours depend on (seed, model, prompt, attempt) only.
    /// </summary>
    private ResiliencePipeline<AttemptFailure?> BuildRetryPipeline(CollectionOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<AttemptFailure?> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptFailure?>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Transient: true }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    RetryDelay(args.Context.Properties.GetValue(RequestKey, null!), args.Outcome.Result!.Value, args.AttemptNumber)),
                OnRetry = static args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    Interlocked.Increment(ref request.Model.Retries);
                    request.Progress?.Report(request.Model.Progress());
                    if (args.Outcome.Result!.Value.RetryAfter is not null)
                    {
                        request.Endpoint.PauseFor(args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>The server's Retry-After (at most <see cref="CollectionOptions.MaxRetryDelay"/>), else <see cref="Backoff"/>.</summary>
    private TimeSpan RetryDelay(Request request, AttemptFailure failure, int attempt) => failure.RetryAfter is { } retryAfter
        ? (retryAfter < Options.MaxRetryDelay ? retryAfter : Options.MaxRetryDelay)
        : Backoff(request.Model.Index, request.PromptIndex, attempt);

    /// <summary>min(max, base × 2^attempt) × a factor in [0.5, 1] drawn from (seed, model, prompt, attempt).</summary>
    internal TimeSpan Backoff(int model, int prompt, int attempt)
    {
        double exponential = Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        double capped = Math.Min(exponential, Options.MaxRetryDelay.TotalMilliseconds);
        var random = new PromptRandom(Options.Seed ^ SplitMix64.Mix((ulong)model + 1), ((ulong)prompt << 8) | (uint)(attempt & 0xFF));
        return TimeSpan.FromMilliseconds(capped * (0.5 + (0.5 * random.NextDouble())));
    }

    /// <summary>One (model, prompt) pair on its way through the retries.</summary>
    private sealed record Request(ModelState Model, PromptRecord Prompt, int PromptIndex, EndpointPause Endpoint, OutputsFile File,
        IProgress<CollectionProgress>? Progress, List<ChatMessage> Messages, ChatOptions ChatOptions);
}
