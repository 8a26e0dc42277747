using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProvenanceSet.Collection.Tests;

/// <summary>What the test server does with one request instead of answering it.</summary>
public enum FaultKind
{
    None,

    /// <summary>429 with the fault's Retry-After header (if any).</summary>
    TooManyRequests,

    /// <summary>500.</summary>
    ServerError,

    /// <summary>Never answers (until the client gives up).</summary>
    Stall,

    /// <summary>Drops the connection without an answer.</summary>
    Drop,

    /// <summary>400.</summary>
    BadRequest,
}

public sealed record Fault(FaultKind Kind, string? RetryAfter = null)
{
    public static readonly Fault None = new(FaultKind.None);
}

/// <summary>How the test server behaves.</summary>
public sealed record FakeServerOptions
{
    /// <summary>The answer of a model to a prompt text; null means the server has no such model (404).</summary>
    public Func<string, string, string?> Answer { get; init; } = FakeOpenAIServer.EchoAnswer;

    /// <summary>Fault for (model, prompt text, attempt number starting at 1).</summary>
    public Func<string, string, int, Fault> Faults { get; init; } = (_, _, _) => Fault.None;

    /// <summary>Time taken by every answer.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When set, requests must carry "Authorization: Bearer KEY"; others get a 401 that echoes the key received.</summary>
    public string? RequiredApiKey { get; init; }
}

/// <summary>
/// A minimal OpenAI-compatible chat completions server (POST /v1/chat/completions) on Kestrel,
/// 127.0.0.1, a free port: deterministic answers per (model, prompt) and injected faults.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeServerOptions _options;
    private readonly ConcurrentDictionary<(string Model, string Prompt), int> _attempts = new();
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;

    private FakeOpenAIServer(WebApplication app, FakeServerOptions options)
    {
        _app = app;
        _options = options;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests received (every attempt counts).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Most requests handled at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The last request body's temperature and token limit.</summary>
    public (double? Temperature, int? MaxTokens, string? System) LastSettings { get; private set; }

    /// <summary>The last request body's token limit fields: max_tokens and max_completion_tokens.</summary>
    public (int? MaxTokens, int? MaxCompletionTokens) LastTokenFields { get; private set; }

    /// <summary>Attempts per (model, prompt text).</summary>
    public int Attempts(string model, string prompt) => _attempts.GetValueOrDefault((model, prompt));

    /// <summary>The default answer: deterministic words from (model, prompt).</summary>
    public static string EchoAnswer(string model, string prompt) => $"{model} answers: {Words(model + "|" + prompt, 12)}";

    /// <summary>n pseudo-random words, a pure function of the seed text.</summary>
    public static string Words(string seedText, int n, int skip = 0)
    {
        string[] vocabulary =
        [
            "amber", "basin", "cedar", "delta", "ember", "fjord", "grove", "harbor", "island", "jungle", "kettle", "lantern",
            "meadow", "nectar", "orchid", "pebble", "quarry", "raven", "summit", "thicket", "umber", "valley", "willow", "zephyr",
        ];
        ulong state = 1469598103934665603UL;
        foreach (char c in seedText)
        {
            state = (state ^ c) * 1099511628211UL;
        }

        var words = new string[n];
        for (int i = 0; i < skip + n; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            if (i >= skip)
            {
                words[i - skip] = vocabulary[(int)((state >> 33) % (ulong)vocabulary.Length)];
            }
        }

        return string.Join(' ', words);
    }

    public static async Task<FakeOpenAIServer> StartAsync(FakeServerOptions? options = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app, options ?? new FakeServerOptions());
        app.UseRouting();
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            await HandleCoreAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (timeout or Ctrl+C).
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = body.RootElement;
        string model = root.GetProperty("model").GetString()!;
        string prompt = string.Empty;
        string? system = null;
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            string role = message.GetProperty("role").GetString()!;
            string content = message.GetProperty("content") is { ValueKind: JsonValueKind.String } c ? c.GetString()! : string.Join("", message.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
            if (role == "user")
            {
                prompt = content;
            }
            else if (role == "system")
            {
                system = content;
            }
        }

        double? temperature = root.TryGetProperty("temperature", out var t) ? t.GetDouble() : null;
        int? maxTokens = root.TryGetProperty("max_completion_tokens", out var m) ? m.GetInt32() : root.TryGetProperty("max_tokens", out var m2) ? m2.GetInt32() : null;
        LastSettings = (temperature, maxTokens, system);
        LastTokenFields = (root.TryGetProperty("max_tokens", out var legacy) ? legacy.GetInt32() : null, root.TryGetProperty("max_completion_tokens", out var completion) ? completion.GetInt32() : null);

        int attempt = _attempts.AddOrUpdate((model, prompt), 1, (_, n) => n + 1);
        var fault = _options.Faults(model, prompt, attempt);
        switch (fault.Kind)
        {
            case FaultKind.TooManyRequests:
                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers["Retry-After"] = fault.RetryAfter;
                }

                await ErrorAsync(context, 429, "rate_limit_exceeded", "Rate limit reached, slow down.");
                return;
            case FaultKind.ServerError:
                await ErrorAsync(context, 500, "server_error", "The server had an error while processing your request.");
                return;
            case FaultKind.BadRequest:
                await ErrorAsync(context, 400, "invalid_request_error", "This model's maximum context length is exceeded.");
                return;
            case FaultKind.Stall:
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                return;
            case FaultKind.Drop:
                context.Abort();
                return;
        }

        if (_options.RequiredApiKey is { } key)
        {
            string header = context.Request.Headers.Authorization.ToString();
            if (header != "Bearer " + key)
            {
                // Like some real servers, echo what was received (the collector must not repeat it).
                await ErrorAsync(context, 401, "invalid_api_key", $"Incorrect API key provided: {header.Replace("Bearer ", "", StringComparison.Ordinal)}.");
                return;
            }
        }

        string? answer = _options.Answer(model, prompt);
        if (answer is null)
        {
            await ErrorAsync(context, 404, "model_not_found", $"The model `{model}` does not exist.");
            return;
        }

        if (_options.Delay > TimeSpan.Zero)
        {
            await Task.Delay(_options.Delay, context.RequestAborted);
        }

        if (maxTokens is int limit)
        {
            answer = string.Join(' ', answer.Split(' ').Take(limit));
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["index"] = 0,
                    ["message"] = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = answer },
                    ["finish_reason"] = "stop",
                    ["logprobs"] = null,
                },
            },
            ["usage"] = new Dictionary<string, int> { ["prompt_tokens"] = 5, ["completion_tokens"] = 5, ["total_tokens"] = 10 },
        }), context.RequestAborted);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message, type = code, param = (string?)null, code } }), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
