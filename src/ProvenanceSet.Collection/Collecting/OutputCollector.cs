using Polly;
using Microsoft.Extensions.AI;
using ProvenanceSet.Collection.Prompts;
using ProvenanceSet.Data;

namespace ProvenanceSet.Collection.Collecting;

/// <summary>
/// Asks every model every prompt and appends the answers to an outputs file (JSON Lines, the format
/// of docs/fingerprints.md), resumably: pairs already in the file are skipped, each answer is appended as one
/// complete, flushed line as soon as it arrives, and no (model, prompt) pair is ever written twice.
/// </summary>
/// <remarks>
/// <para>
/// Requests run at most <see cref="CollectionOptions.MaxConcurrencyPerEndpoint"/> at a time per
/// endpoint, the models of one endpoint taking turns prompt by prompt. A transient failure (429,
/// 408, 5xx, a timeout, a refused or dropped connection) is retried after the server's Retry-After,
/// or else after an exponential backoff with seeded jitter; a Retry-After also pauses the other
/// requests to that endpoint. A refusal that retrying cannot fix (400, 401, 403, 404, 422, ...)
/// stops that model at once, and so do transient failures that outlast the retries; the other
/// models carry on, and the summary names what stopped and why. Running the same collection again
/// resumes where it stopped.
/// </para>
/// <para>
/// Cancelling the token cancels the requests in flight and throws
/// <see cref="OperationCanceledException"/>; the file then holds complete lines only.
/// </para>
/// </remarks>
public sealed partial class OutputCollector
{
    private readonly CollectionModel[] _models;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<AttemptFailure?> _retries;

    /// <summary>Creates a collector for the given models.</summary>
    /// <param name="models">The models to ask, with distinct names.</param>
    /// <param name="options">How to ask them (default <see cref="CollectionOptions.Default"/>).</param>
    /// <exception cref="ArgumentException">No model, or two models with one name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public OutputCollector(IReadOnlyList<CollectionModel> models, CollectionOptions? options = null)
        : this(models, options, TimeProvider.System)
    {
    }

    /// <summary>Creates a collector whose retry delays and endpoint pauses run on <paramref name="time"/>.</summary>
    internal OutputCollector(IReadOnlyList<CollectionModel> models, CollectionOptions? options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            throw new ArgumentException("At least one model is needed.", nameof(models));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (!names.Add(model.Name))
            {
                throw new ArgumentException($"The model '{model.Name}' is given twice.", nameof(models));
            }
        }

        Options = options ?? CollectionOptions.Default;
        Options.Validate();
        _models = [.. models];
        _time = time;
        _retries = BuildRetryPipeline(Options, time);
    }

    /// <summary>The models, in the order given.</summary>
    public IReadOnlyList<CollectionModel> Models => _models;

    /// <summary>The options.</summary>
    public CollectionOptions Options { get; }

    /// <summary>
    /// Collects every model's answer to every prompt into <paramref name="outputPath"/>, skipping the
    /// pairs the file already holds.
    /// </summary>
    /// <param name="prompts">The prompts, with distinct ids.</param>
    /// <param name="outputPath">The outputs file (created if absent, appended to otherwise).</param>
    /// <param name="progress">Told after every answer, retry and stop, from worker threads (possibly at the same time).</param>
    /// <param name="cancellationToken">Stops the collection: requests in flight are cancelled and nothing partial is written.</param>
    /// <returns>What was collected per model, and why a model stopped if one did.</returns>
    /// <exception cref="ArgumentException">No prompt, or two prompts with one id.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="outputPath"/> does not exist.</exception>
    /// <exception cref="OutputsFileLockedException">Another collector is writing the file.</exception>
    /// <exception cref="ProvenanceFormatException">The existing file has a malformed complete line or a repeated pair (the message names the line).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<CollectionSummary> CollectAsync(IReadOnlyList<PromptRecord> prompts, string outputPath,
        IProgress<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        CheckPrompts(prompts);
        cancellationToken.ThrowIfCancellationRequested();

        using var file = OutputsFile.Open(outputPath, _models.Select(m => m.Name), Options.IncludePrompt);
        var states = new ModelState[_models.Length];
        for (int i = 0; i < _models.Length; i++)
        {
            int present = prompts.Count(p => file.Contains(_models[i].Name, p.Id));
            states[i] = new ModelState(_models[i], i, prompts.Count, present);
            progress?.Report(states[i].Progress());
        }

        var endpoints = states.GroupBy(s => s.Model.Endpoint, StringComparer.Ordinal)
            .Select(group => RunEndpointAsync([.. group], prompts, file, progress, cancellationToken))
            .ToArray();
        try
        {
            await Task.WhenAll(endpoints).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The collection was cancelled.", cancellationToken);
        }

        foreach (var state in states)
        {
            if (state.Failure is null && state.Completed == state.Total)
            {
                state.Status = CollectionModelStatus.Completed;
            }

            progress?.Report(state.Progress());
        }

        return new CollectionSummary
        {
            OutputPath = outputPath,
            PromptCount = prompts.Count,
            Repair = file.Repair,
            Models = [.. states.Select(s => s.Result())],
        };
    }

    private static void CheckPrompts(IReadOnlyList<PromptRecord> prompts)
    {
        if (prompts.Count == 0)
        {
            throw new ArgumentException("At least one prompt is needed.", nameof(prompts));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prompt in prompts)
        {
            ArgumentNullException.ThrowIfNull(prompt, nameof(prompts));
            if (!ids.Add(prompt.Id))
            {
                throw new ArgumentException($"The prompt id '{prompt.Id}' is given twice.", nameof(prompts));
            }
        }
    }

    private async Task RunEndpointAsync(ModelState[] models, IReadOnlyList<PromptRecord> prompts, OutputsFile file,
        IProgress<CollectionProgress>? progress, CancellationToken cancellationToken)
    {
        // The models of one endpoint take turns, prompt by prompt, so that all of them advance together.
        var work = new List<(ModelState Model, int Prompt)>();
        for (int p = 0; p < prompts.Count; p++)
        {
            foreach (var model in models)
            {
                if (!file.Contains(model.Model.Name, prompts[p].Id))
                {
                    work.Add((model, p));
                }
            }
        }

        var endpoint = new EndpointPause(_time);
        int next = -1;
        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < work.Count)
            {
                var (model, p) = work[index];
                if (model.Failure is null)
                {
                    await AskAsync(model, prompts[p], p, endpoint, file, progress, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        int workers = Math.Min(Options.MaxConcurrencyPerEndpoint, work.Count);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync, cancellationToken))).ConfigureAwait(false);
    }

    private async Task AskAsync(ModelState model, PromptRecord prompt, int promptIndex, EndpointPause endpoint, OutputsFile file,
        IProgress<CollectionProgress>? progress, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = Options.SystemPrompt is { } system
            ? [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, prompt.Text)]
            : [new ChatMessage(ChatRole.User, prompt.Text)];
        var request = new Request(model, prompt, promptIndex, endpoint, file, progress, messages,
            new ChatOptions { Temperature = Options.Temperature, MaxOutputTokens = Options.MaxOutputTokens });

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        AttemptFailure? last;
        try
        {
            context.Properties.Set(RequestKey, request);
            last = await _retries.ExecuteAsync(
                static (context, state) => state.Collector.AttemptAsync(state.Request, context.CancellationToken),
                context, (Collector: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (last is not { } failure)
        {
            return;
        }

        string what = failure.Transient
            ? $"gave up after {Plural(Options.MaxRetries, "retry", "retries")} on prompt '{prompt.Id}'; last failure: {failure.Description}"
            : $"refused prompt '{prompt.Id}' ({failure.Description}); not retried: fix the endpoint URL, model id, API key or options";
        model.Stop(new CollectionFailure(
            failure.Transient ? CollectionFailureKind.RetriesExhausted : CollectionFailureKind.Rejected,
            failure.StatusCode,
            $"model '{model.Model.Name}' at {model.Model.Endpoint} {what}"));
        progress?.Report(model.Progress());
    }

    /// <summary>
    /// One attempt: waits out a pause of the endpoint, asks once within <see cref="CollectionOptions.Timeout"/>
    /// and appends the answer. Null when the pair is done (or its model has stopped), else the classified
    /// failure. Cancellation and a disposed client throw, and are never retried.
    /// </summary>
    private async ValueTask<AttemptFailure?> AttemptAsync(Request request, CancellationToken cancellationToken)
    {
        var model = request.Model;
        await request.Endpoint.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (model.Failure is not null)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(Options.Timeout, _time);
        using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await model.Model.Client.GetResponseAsync(request.Messages, request.ChatOptions, attemptToken.Token).ConfigureAwait(false);
            if (request.File.Append(model.Model.Name, request.Prompt, response.Text ?? string.Empty))
            {
                Interlocked.Increment(ref model.Collected);
                request.Progress?.Report(model.Progress());
            }

            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ObjectDisposedException)
        {
            return FailureClassifier.Classify(ex, timeout.IsCancellationRequested, Options.Timeout, model.Model.Secret);
        }
    }

    private static string Plural(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";

    /// <summary>One model's counters (updated by the workers).</summary>
    private sealed class ModelState(CollectionModel model, int index, int total, int alreadyPresent)
    {
        private CollectionFailure? _failure;

        public int Collected;
        public int Retries;

        public CollectionModel Model { get; } = model;

        public int Index { get; } = index;

        public int Total { get; } = total;

        public int AlreadyPresent { get; } = alreadyPresent;

        public int Completed => AlreadyPresent + Volatile.Read(ref Collected);

        public CollectionModelStatus Status { get; set; }

        public CollectionFailure? Failure => Volatile.Read(ref _failure);

        /// <summary>Records the first failure; later ones (from requests already in flight) are dropped.</summary>
        public void Stop(CollectionFailure failure)
        {
            if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
            {
                Status = CollectionModelStatus.Stopped;
            }
        }

        public CollectionProgress Progress() => new(Model.Name, Completed, Total, AlreadyPresent, Volatile.Read(ref Retries), Status);

        public ModelCollectionResult Result() => new()
        {
            Name = Model.Name,
            Endpoint = Model.Endpoint,
            Total = Total,
            AlreadyPresent = AlreadyPresent,
            Collected = Volatile.Read(ref Collected),
            Retries = Volatile.Read(ref Retries),
            Failure = Failure,
        };
    }
}
