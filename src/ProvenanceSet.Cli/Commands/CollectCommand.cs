using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Cli.Terminal;
using ProvenanceSet.Collection;
using ProvenanceSet.Collection.Collecting;
using ProvenanceSet.Collection.Prompts;

namespace ProvenanceSet.Cli.Commands;

/// <summary>
/// <c>mps collect --prompts prompts.jsonl --model NAME=URL ... --out outputs.jsonl</c>: asks every
/// model every prompt through its OpenAI-compatible endpoint and appends the answers, resumably.
/// </summary>
/// <remarks>
/// Exit codes: 0 every model answered every prompt; 2 bad input (options, prompts file, an existing
/// outputs file that is not in the outputs format, a missing key variable) or an endpoint that
/// refused a model with a status retrying cannot fix (400, 401, 403, 404, ...); 1 a model still
/// failing after every retry (server down or unreachable, 429/5xx, timeouts) or an interruption
/// (Ctrl+C): the file holds every answer so far and the same command resumes.
/// </remarks>
internal static class CollectCommand
{
    /// <summary>Seconds between status lines (per model; answers come slowly).</summary>
    private const double ProgressSeconds = 30;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var prompts = new Option<string>("--prompts") { Description = "The prompts, JSON Lines {\"prompt_id\": ..., \"prompt\": ...} (see 'mps prompts').", Required = true, HelpName = "FILE.jsonl" };
        var models = new Option<string[]>("--model")
        {
            Description = "A model to ask: NAME=URL, where URL is the OpenAI-compatible base URL (ending in /v1) and NAME the model id sent to it and written as \"model\". "
                + "Append #ID to send another id: NAME=URL#ID. Repeat for every model.",
            Required = true,
            HelpName = "NAME=URL",
        };
        var outPath = new Option<string>("--out") { Description = "The outputs file, JSON Lines; created, or resumed: pairs already in it are skipped.", Required = true, HelpName = "FILE.jsonl" };
        var keys = new Option<string[]>("--api-key-env")
        {
            Description = "Read the API key from environment variable VAR (every model), or NAME=VAR (one model). Keys are never written to any file or message.",
            HelpName = "[NAME=]VAR",
        };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most output tokens per answer (the token distance reads only the first 20).", DefaultValueFactory = _ => CollectionOptions.Default.MaxOutputTokens ?? 256, HelpName = "N" };
        var maxTokensField = new Option<string>("--max-tokens-field")
        {
            Description = "Which request field carries --max-tokens: both (default; every compatible server reads one), max_tokens, or max_completion_tokens (OpenAI's reasoning models refuse max_tokens).",
            DefaultValueFactory = _ => "both",
            HelpName = "both|max_tokens|max_completion_tokens",
        };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 (greedy) makes answers reproducible.", DefaultValueFactory = _ => CollectionOptions.Default.Temperature ?? 0f, HelpName = "T" };
        var system = new Option<string?>("--system") { Description = "A system message sent before every prompt.", HelpName = "TEXT" };
        var concurrency = new Option<int>("--concurrency") { Description = "Most requests in flight per endpoint (shared by the models on one URL).", DefaultValueFactory = _ => CollectionOptions.Default.MaxConcurrencyPerEndpoint, HelpName = "N" };
        var retries = new Option<int>("--retries") { Description = "Retries per request after a transient failure (429, 5xx, timeout, dropped or refused connection).", DefaultValueFactory = _ => CollectionOptions.Default.MaxRetries, HelpName = "N" };
        var retryDelay = new Option<double>("--retry-delay") { Description = "First backoff delay in seconds; doubles per retry (with jitter, at most 60 s). A server's Retry-After takes precedence.", DefaultValueFactory = _ => CollectionOptions.Default.RetryBaseDelay.TotalSeconds, HelpName = "SECONDS" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one request may take before it is cancelled and retried.", DefaultValueFactory = _ => CollectionOptions.Default.Timeout.TotalSeconds, HelpName = "SECONDS" };
        var includePrompt = new Option<bool>("--include-prompt") { Description = "Also write the prompt text into every record (the optional \"prompt\" field)." };
        var progressMode = ProgressOption.Create(ProgressSeconds);

        var command = new Command("collect", "Ask the target and every candidate model each prompt, and append the answers to an outputs file for 'mps audit'.\n\n"
            + "Models are served behind OpenAI-compatible endpoints (vLLM, llama.cpp server, Ollama's /v1, hosted APIs). Greedy by default. "
            + "Resumable: every answer is appended as one line as it arrives; run the same command again after a crash or Ctrl+C and it asks only what is missing.\n\n"
            + "Examples:\n  mps collect --prompts prompts.jsonl --out outputs.jsonl \\\n"
            + "      --model my-model=http://localhost:8000/v1 --model llama3.1:8b=http://localhost:11434/v1\n"
            + "  OPENAI_API_KEY=... mps collect --prompts prompts.jsonl --out outputs.jsonl --model gpt-4o-mini=https://api.openai.com/v1 --api-key-env OPENAI_API_KEY\n"
            + "  mps collect --prompts prompts.jsonl --out outputs.jsonl --model target=http://gpu1:8000/v1#org/finetuned-7b --max-tokens 32 --concurrency 16");
        foreach (Option option in new Option[] { prompts, models, outPath, keys, maxTokens, maxTokensField, temperature, system, concurrency, retries, retryDelay, timeout, includePrompt, progressMode })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            var options = CollectionOptions.Default with
            {
                MaxOutputTokens = Positive(parsed.GetValue(maxTokens), "--max-tokens"),
                Temperature = parsed.GetValue(temperature) is var t && t >= 0 && float.IsFinite(t) ? t : throw new UsageException($"--temperature must be at least 0, got {t.ToString(CultureInfo.InvariantCulture)}."),
                SystemPrompt = parsed.GetValue(system),
                MaxConcurrencyPerEndpoint = Positive(parsed.GetValue(concurrency), "--concurrency"),
                MaxRetries = parsed.GetValue(retries) is var r && r >= 0 ? r : throw new UsageException($"--retries must be at least 0, got {r}."),
                RetryBaseDelay = Seconds(parsed.GetValue(retryDelay), "--retry-delay", allowZero: true),
                Timeout = Seconds(parsed.GetValue(timeout), "--timeout", allowZero: false),
                IncludePrompt = parsed.GetValue(includePrompt),
            };
            options = options with { MaxRetryDelay = options.RetryBaseDelay > options.MaxRetryDelay ? options.RetryBaseDelay : options.MaxRetryDelay };

            var progress = ProgressTargets.Resolve(ProgressOption.Parse(parsed.GetValue(progressMode)!), quiet: false, error, output, ProgressOption.Interval(ProgressSeconds));
            var tokenField = parsed.GetValue(maxTokensField) switch
            {
                "both" => OpenAITokenLimitField.Both,
                "max_tokens" => OpenAITokenLimitField.MaxTokens,
                "max_completion_tokens" => OpenAITokenLimitField.MaxCompletionTokens,
                var other => throw new UsageException($"--max-tokens-field must be both, max_tokens or max_completion_tokens, got '{other}'."),
            };
            var specs = ParseModels(parsed.GetValue(models)!);
            var apiKeys = ResolveKeys(parsed.GetValue(keys) ?? [], specs);
            string promptsPath = parsed.GetValue(prompts)!;
            if (!File.Exists(promptsPath))
            {
                throw new UsageException($"--prompts: {promptsPath}: no such file.");
            }

            // The outputs file is read and appended to on purpose (resume); it only must not be the prompts file or a folder.
            string outputsPath = parsed.GetValue(outPath)!;
            ResultFiles.Check([new NamedPath("--prompts", promptsPath)], [new NamedPath("--out", outputsPath)], probe: true);
            var promptList = PromptFile.Read(promptsPath);
            var collectionModels = specs.Select(s => CollectionModel.OpenAICompatible(s.Name, s.Endpoint, apiKeys.GetValueOrDefault(s.Name), s.ModelId, tokenField)).ToList();
            try
            {
                return Run(new OutputCollector(collectionModels, options), promptList, outputsPath, progress, output, error);
            }
            finally
            {
                foreach (var model in collectionModels)
                {
                    model.Dispose();
                }
            }
        });
        return command;
    }

    private static int Run(OutputCollector collector, IReadOnlyList<PromptRecord> prompts, string outputsPath, ProgressTargets progress, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // The first Ctrl+C stops cleanly; a second one ends the process at once.
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        bool bar = progress.Bars is not null;
        var display = new CollectProgressDisplay(collector.Models.Select(m => m.Name), prompts.Count, error, progress.Lines, progress.Lines.Count > 0 ? progress.Interval : null);
        CollectionSummary summary;
        try
        {
            summary = bar
                ? display.RunWithBarAsync(p => collector.CollectAsync(prompts, outputsPath, p, stop.Token)).GetAwaiter().GetResult()
                : display.RunAsync(p => collector.CollectAsync(prompts, outputsPath, p, stop.Token)).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            error.WriteLine($"mps: interrupted: {display.NewAnswers} new answer(s) were appended to {outputsPath}; run the same command to resume.");
            return MpsCommandLine.UnexpectedFailure;
        }
        catch (OutputsFileLockedException ex)
        {
            throw new UsageException(ex.Message);
        }

        WriteSummary(output, summary);
        var stopped = summary.Models.Where(m => m.Failure is not null).ToList();
        if (stopped.Count == 0)
        {
            return MpsCommandLine.Success;
        }

        var rejected = stopped.Where(m => m.Failure!.Kind == CollectionFailureKind.Rejected).ToList();
        var first = (rejected.Count > 0 ? rejected : stopped)[0];
        string more = stopped.Count > 1 ? $" ({stopped.Count - 1} more model(s) stopped: {string.Join(", ", stopped.Skip(1).Select(m => m.Name))})" : string.Empty;
        error.WriteLine($"mps: error: {first.Failure!.Message}{more}. The file holds every answer so far; the same command resumes.");
        return rejected.Count > 0 ? MpsCommandLine.BadInput : MpsCommandLine.UnexpectedFailure;
    }

    private static void WriteSummary(TextWriter output, CollectionSummary summary)
    {
        output.WriteLine($"Collected into {summary.OutputPath}: {summary.PromptCount} prompts x {summary.Models.Count} model(s).");
        if (summary.Repair is not null)
        {
            output.WriteLine($"  Repaired the file first: {summary.Repair}.");
        }

        int width = Math.Max(5, summary.Models.Max(m => m.Name.Length));
        output.WriteLine($"  {"model".PadRight(width)}  {"answers",15}  {"new",8}  {"already",8}  {"retries",8}  status");
        foreach (var m in summary.Models)
        {
            string status = m.Failure is null ? (m.Completed == m.Total ? "complete" : "incomplete") : m.Failure.Kind == CollectionFailureKind.Rejected ? "stopped: refused" : "stopped: gave up";
            output.WriteLine($"  {m.Name.PadRight(width)}  {$"{m.Completed}/{m.Total}",15}  {m.Collected,8}  {m.AlreadyPresent,8}  {m.Retries,8}  {status}");
        }
    }

    internal sealed record ModelSpec(string Name, Uri Endpoint, string? ModelId);

    /// <summary>NAME=URL or NAME=URL#ID; names distinct.</summary>
    internal static List<ModelSpec> ParseModels(string[] values)
    {
        var specs = new List<ModelSpec>();
        foreach (string value in values)
        {
            int eq = value.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 ? value[..eq].Trim() : string.Empty;
            string url = eq > 0 ? value[(eq + 1)..].Trim() : string.Empty;
            string? id = null;
            int hash = url.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                id = url[(hash + 1)..].Trim();
                url = url[..hash];
                if (id.Length == 0)
                {
                    throw new UsageException($"--model '{Shown(value)}': nothing after '#' (NAME=URL#ID sends ID as the model id).");
                }
            }

            if (name.Length == 0 || url.Length == 0)
            {
                throw new UsageException($"--model '{Shown(value)}': expected NAME=URL, e.g. --model my-model=http://localhost:8000/v1.");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"--model '{name}': '{Shown(url)}' is not an http:// or https:// URL (the OpenAI-compatible base URL, e.g. http://localhost:8000/v1).");
            }

            if (specs.Any(s => s.Name == name))
            {
                throw new UsageException($"--model '{name}' is given twice.");
            }

            specs.Add(new ModelSpec(name, uri, id));
        }

        return specs;
    }

    /// <summary>--api-key-env VAR (every model) or NAME=VAR (one model); the variables must be set.</summary>
    internal static Dictionary<string, string> ResolveKeys(string[] values, IReadOnlyList<ModelSpec> specs)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string? everyone = null;
        foreach (string value in values)
        {
            int eq = value.IndexOf('=', StringComparison.Ordinal);
            string variable = (eq >= 0 ? value[(eq + 1)..] : value).Trim();
            string? model = eq >= 0 ? value[..eq].Trim() : null;
            if (variable.Length == 0 || model is { Length: 0 })
            {
                throw new UsageException($"--api-key-env '{value}': expected VAR or NAME=VAR (the name of an environment variable, not the key).");
            }

            string key = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set
                ? set
                : throw new UsageException($"--api-key-env: the environment variable '{variable}' is not set or empty.");
            if (model is null)
            {
                everyone = everyone is null ? key : throw new UsageException("--api-key-env VAR (for every model) is given twice; use NAME=VAR for one model.");
            }
            else if (specs.All(s => s.Name != model))
            {
                throw new UsageException($"--api-key-env '{model}={variable}': no --model is named '{model}'.");
            }
            else if (!keys.TryAdd(model, key))
            {
                throw new UsageException($"--api-key-env: model '{model}' is given two keys.");
            }
        }

        if (everyone is not null)
        {
            foreach (var spec in specs)
            {
                keys.TryAdd(spec.Name, everyone);
            }
        }

        return keys;
    }

    /// <summary>A value as shown in messages: the URL's user information (it may hold a password) is hidden.</summary>
    private static string Shown(string value)
    {
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        int at = value.IndexOf('@', StringComparison.Ordinal);
        int slash = scheme >= 0 ? value.IndexOf('/', scheme + 3) : -1;
        return scheme >= 0 && at > scheme && (slash < 0 || at < slash) ? string.Concat(value.AsSpan(0, scheme + 3), "***", value.AsSpan(at)) : value;
    }

    private static int Positive(int value, string option) => value >= 1 ? value : throw new UsageException($"{option} must be at least 1, got {value}.");

    private static TimeSpan Seconds(double value, string option, bool allowZero) =>
        double.IsFinite(value) && (value > 0 || (allowZero && value == 0)) && value <= 86_400
            ? TimeSpan.FromSeconds(value)
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option} must be {(allowZero ? "at least 0" : "more than 0")} and at most 86400 seconds, got {value}."));
}
