using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProvenanceSet.Collection.Collecting;
using ProvenanceSet.Collection.Prompts;
using ProvenanceSet.Data;

namespace ProvenanceSet.Collection.Tests;

/// <summary><see cref="OutputCollector"/> against the local OpenAI-compatible test server.</summary>
public class OutputCollectorTests
{
    private static readonly CollectionOptions Fast = CollectionOptions.Default with
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static IReadOnlyList<PromptRecord> Prompts(int n) => PromptGenerator.Generate(n, seed: 5);

    private static List<CollectionModel> Models(FakeOpenAIServer server, params string[] names) =>
        [.. names.Select(n => CollectionModel.OpenAICompatible(n, server.BaseUrl))];

    private sealed class Recorder : IProgress<CollectionProgress>
    {
        private readonly Lock _lock = new();

        public List<CollectionProgress> Reports { get; } = [];

        public void Report(CollectionProgress value)
        {
            lock (_lock)
            {
                Reports.Add(value);
            }
        }
    }

    [Fact]
    public async Task Collects_EveryPair_Once_WithTheServersAnswer_Greedy()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        var prompts = Prompts(25);
        var models = Models(server, "target", "base-1", "base-2");
        var progress = new Recorder();
        var summary = await new OutputCollector(models, Fast with { MaxOutputTokens = 50, SystemPrompt = "Be brief." })
            .CollectAsync(prompts, dir.Combine("out.jsonl"), progress);

        Assert.True(summary.IsComplete);
        Assert.Equal(["target", "base-1", "base-2"], summary.Models.Select(m => m.Name));
        Assert.All(summary.Models, m => Assert.Equal((25, 25, 0, 0), (m.Completed, m.Collected, m.AlreadyPresent, m.Retries)));
        Assert.Equal(server.BaseUrl.ToString().TrimEnd('/'), summary.Models[0].Endpoint);
        OutputsLines.AssertExactlyOnce(dir.Combine("out.jsonl"), ["target", "base-1", "base-2"], prompts, FakeOpenAIServer.EchoAnswer);
        Assert.Equal(75, server.Requests);
        Assert.Equal((0.0, 50, "Be brief."), server.LastSettings);
        Assert.False(File.Exists(dir.Combine("out.jsonl.lock")));
        Assert.Contains(progress.Reports, r => r is { Model: "base-2", Completed: 25, Status: CollectionModelStatus.Completed });
    }

    [Fact]
    public async Task MaxOutputTokens_AndIncludePrompt_ReachTheRecords()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        var prompts = Prompts(3);
        await new OutputCollector(Models(server, "m"), Fast with { MaxOutputTokens = 4, IncludePrompt = true, Temperature = null })
            .CollectAsync(prompts, dir.Combine("out.jsonl"));
        var lines = File.ReadAllLines(dir.Combine("out.jsonl"));
        Assert.Equal(3, lines.Length);
        using var first = System.Text.Json.JsonDocument.Parse(lines.Single(l => l.Contains("\"prompt_id\":\"p1\"", StringComparison.Ordinal)));
        Assert.Equal(prompts[0].Text, first.RootElement.GetProperty("prompt").GetString());
        Assert.Equal(4, first.RootElement.GetProperty("output").GetString()!.Split(' ').Length);
        Assert.Null(server.LastSettings.Temperature);
    }

    [Theory]
    [InlineData(OpenAITokenLimitField.Both, 7, 7)]
    [InlineData(OpenAITokenLimitField.MaxTokens, 7, null)]
    [InlineData(OpenAITokenLimitField.MaxCompletionTokens, null, 7)]
    public async Task TheTokenLimit_ReachesTheFieldsTheServerReads(OpenAITokenLimitField field, int? maxTokens, int? maxCompletionTokens)
    {
        // Ollama and LM Studio read only max_tokens; OpenAI's reasoning models only max_completion_tokens.
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        using var model = CollectionModel.OpenAICompatible("m", server.BaseUrl, tokenLimitField: field);
        var summary = await new OutputCollector([model], Fast with { MaxOutputTokens = 7 }).CollectAsync(Prompts(2), dir.Combine("out.jsonl"));
        Assert.True(summary.IsComplete);
        Assert.Equal((maxTokens, maxCompletionTokens), server.LastTokenFields);

        using var unlimited = CollectionModel.OpenAICompatible("n", server.BaseUrl, tokenLimitField: field);
        await new OutputCollector([unlimited], Fast with { MaxOutputTokens = null }).CollectAsync(Prompts(1), dir.Combine("out.jsonl"));
        Assert.Equal((null, null), server.LastTokenFields);
    }

    [Fact]
    public async Task Resume_SkipsPairsInTheFile_AndCutsATornLastLine()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        var prompts = Prompts(10);
        string path = dir.Combine("out.jsonl");
        // An earlier run: model a answered p1..p6, model b p1..p3, then a crash in the middle of a line.
        var earlier = string.Concat(
            prompts.Take(6).Select(p => Line("a", p.Id, FakeOpenAIServer.EchoAnswer("a", p.Text))).Concat(
            prompts.Take(3).Select(p => Line("b", p.Id, FakeOpenAIServer.EchoAnswer("b", p.Text)))));
        File.WriteAllText(path, earlier + "{\"model\":\"b\",\"prompt_id\":\"p4\",\"outp");

        var summary = await new OutputCollector(Models(server, "a", "b"), Fast).CollectAsync(prompts, path);

        Assert.True(summary.IsComplete);
        Assert.Contains("cut an incomplete last line (35 bytes)", summary.Repair, StringComparison.Ordinal);
        Assert.Equal((6, 4), (summary.Models[0].AlreadyPresent, summary.Models[0].Collected));
        Assert.Equal((3, 7), (summary.Models[1].AlreadyPresent, summary.Models[1].Collected));
        Assert.Equal(11, server.Requests);
        OutputsLines.AssertExactlyOnce(path, ["a", "b"], prompts, FakeOpenAIServer.EchoAnswer);
        Assert.StartsWith(earlier, File.ReadAllText(path), StringComparison.Ordinal);

        // A second run asks nothing.
        var again = await new OutputCollector(Models(server, "a", "b"), Fast).CollectAsync(prompts, path);
        Assert.All(again.Models, m => Assert.Equal((10, 0), (m.AlreadyPresent, m.Collected)));
        Assert.Null(again.Repair);
        Assert.Equal(11, server.Requests);
    }

    [Fact]
    public async Task Resume_KeepsOtherModelsAndPrompts_AndACompleteLastLineWithoutLineFeed()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        var prompts = Prompts(4);
        string path = dir.Combine("out.jsonl");
        string other = Line("someone-else", "x9", "kept as it is");
        string last = Line("a", prompts[0].Id, FakeOpenAIServer.EchoAnswer("a", prompts[0].Text)).TrimEnd('\n');
        File.WriteAllText(path, other + "\n" + last);

        var summary = await new OutputCollector(Models(server, "a"), Fast).CollectAsync(prompts, path);

        Assert.Null(summary.Repair);
        Assert.Equal((1, 3), (summary.Models[0].AlreadyPresent, summary.Models[0].Collected));
        var records = OutputsLines.Read(path);
        Assert.Equal(5, records.Count);
        Assert.Equal(("someone-else", "x9", "kept as it is"), records[0]);
    }

    [Fact]
    public async Task TransientFailures_AreRetried_429WithRetryAfter_500_Stall_Drop()
    {
        // Every prompt fails on its first attempt, in turn: 429 (Retry-After 0), 500, a stall past the timeout, a dropped connection.
        // The timeout is long enough that an answered request never reaches it on a loaded machine (that would be a 13th retry).
        FaultKind[] kinds = [FaultKind.TooManyRequests, FaultKind.ServerError, FaultKind.Stall, FaultKind.Drop];
        var prompts = Prompts(12);
        var index = prompts.Select((p, i) => (p.Text, i)).ToDictionary(x => x.Text, x => x.i);
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Faults = (model, prompt, attempt) => attempt == 1 ? new Fault(kinds[index[prompt] % 4], "0") : Fault.None,
        });
        using var dir = new TempFolder();
        var summary = await new OutputCollector(Models(server, "m"), Fast with { Timeout = TimeSpan.FromSeconds(2) })
            .CollectAsync(prompts, dir.Combine("out.jsonl"));

        Assert.True(summary.IsComplete, summary.Models[0].Failure?.Message);
        Assert.Equal(12, summary.Models[0].Retries);
        Assert.Equal(24, server.Requests);
        OutputsLines.AssertExactlyOnce(dir.Combine("out.jsonl"), ["m"], prompts, FakeOpenAIServer.EchoAnswer);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured_AndPausesTheEndpoint()
    {
        var prompts = Prompts(4);
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Faults = (model, prompt, attempt) => prompt == prompts[0].Text && attempt == 1 ? new Fault(FaultKind.TooManyRequests, "1") : Fault.None,
        });
        using var dir = new TempFolder();
        var clock = Stopwatch.StartNew();
        var summary = await new OutputCollector(Models(server, "m"), Fast with { MaxRetryDelay = TimeSpan.FromSeconds(5), MaxConcurrencyPerEndpoint = 1 })
            .CollectAsync(prompts, dir.Combine("out.jsonl"));
        Assert.True(summary.IsComplete);
        Assert.Equal(1, summary.Models[0].Retries);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.95, 10);
    }

    [Fact]
    public async Task ARefusal_StopsThatModel_AtOnce_AndTheOthersFinish()
    {
        // The server knows "good" but not "ghost": 404 is not retried.
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Answer = (model, prompt) => model == "ghost" ? null : FakeOpenAIServer.EchoAnswer(model, prompt),
        });
        using var dir = new TempFolder();
        var prompts = Prompts(20);
        var summary = await new OutputCollector(Models(server, "good", "ghost"), Fast with { MaxConcurrencyPerEndpoint = 2 })
            .CollectAsync(prompts, dir.Combine("out.jsonl"));

        Assert.False(summary.IsComplete);
        var ghost = summary.Models[1];
        Assert.Equal(CollectionFailureKind.Rejected, ghost.Failure!.Kind);
        Assert.Equal(404, ghost.Failure.StatusCode);
        Assert.StartsWith($"model 'ghost' at {server.BaseUrl.ToString().TrimEnd('/')} refused prompt 'p", ghost.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", ghost.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, ghost.Collected);
        Assert.Equal(0, ghost.Retries);
        Assert.True(server.Requests <= 20 + 2, $"{server.Requests} requests: the refused model must stop at once");
        Assert.Equal(20, summary.Models[0].Completed);
        Assert.Null(summary.Models[0].Failure);
    }

    [Fact]
    public async Task TransientFailuresBeyondTheRetries_StopThatModel()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Faults = (model, _, _) => model == "flaky" ? new Fault(FaultKind.ServerError) : Fault.None,
        });
        using var dir = new TempFolder();
        var summary = await new OutputCollector(Models(server, "flaky", "fine"), Fast with { MaxRetries = 2, MaxConcurrencyPerEndpoint = 1 })
            .CollectAsync(Prompts(5), dir.Combine("out.jsonl"));

        var flaky = summary.Models[0];
        Assert.Equal(CollectionFailureKind.RetriesExhausted, flaky.Failure!.Kind);
        Assert.Equal(500, flaky.Failure.StatusCode);
        Assert.Contains("gave up after 2 retries on prompt 'p1'; last failure: HTTP 500", flaky.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(5, summary.Models[1].Completed);
    }

    [Fact]
    public async Task NoRetries_MakesOneAttempt_AndATransientFailureStopsTheModel()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Faults = (_, _, _) => new Fault(FaultKind.ServerError),
        });
        using var dir = new TempFolder();
        var summary = await new OutputCollector(Models(server, "m"), Fast with { MaxRetries = 0, MaxConcurrencyPerEndpoint = 1 })
            .CollectAsync(Prompts(3), dir.Combine("out.jsonl"));

        var m = summary.Models[0];
        Assert.Equal(CollectionFailureKind.RetriesExhausted, m.Failure!.Kind);
        Assert.Contains("gave up after 0 retries on prompt 'p1'; last failure: HTTP 500", m.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, m.Retries);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task AnUnreachableEndpoint_GivesUpAfterTheRetries()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var dir = new TempFolder();
        using var model = CollectionModel.OpenAICompatible("m", new Uri($"http://127.0.0.1:{port}/v1"));
        var summary = await new OutputCollector([model], Fast with { MaxRetries = 1 }).CollectAsync(Prompts(3), dir.Combine("out.jsonl"));
        var failure = summary.Models[0].Failure!;
        Assert.Equal(CollectionFailureKind.RetriesExhausted, failure.Kind);
        Assert.Null(failure.StatusCode);
        Assert.Contains("connection failed", failure.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, File.ReadAllText(dir.Combine("out.jsonl")));
    }

    [Fact]
    public async Task Concurrency_IsBoundedPerEndpoint_AndSharedByItsModels()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Delay = TimeSpan.FromMilliseconds(30) });
        using var dir = new TempFolder();
        var prompts = Prompts(24);
        var summary = await new OutputCollector(Models(server, "a", "b", "c"), Fast with { MaxConcurrencyPerEndpoint = 3 })
            .CollectAsync(prompts, dir.Combine("out.jsonl"));
        Assert.True(summary.IsComplete);
        Assert.InRange(server.MaxInFlight, 2, 3);
        OutputsLines.AssertExactlyOnce(dir.Combine("out.jsonl"), ["a", "b", "c"], prompts, FakeOpenAIServer.EchoAnswer);
    }

    [Fact]
    public async Task Cancellation_StopsCleanly_AndTheNextRunResumes()
    {
        var prompts = Prompts(30);
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            // Answers trickle in, and every prompt from the 11th on hangs until cancelled.
            Delay = TimeSpan.FromMilliseconds(5),
            Faults = (_, prompt, _) => prompts.Take(10).Any(p => p.Text == prompt) ? Fault.None : new Fault(FaultKind.Stall),
        });
        using var dir = new TempFolder();
        string path = dir.Combine("out.jsonl");
        using var stop = new CancellationTokenSource();
        var progress = new Recorder();
        var run = new OutputCollector(Models(server, "m"), Fast with { MaxConcurrencyPerEndpoint = 2 }).CollectAsync(prompts, path,
            new SinkProgress(p =>
            {
                progress.Report(p);
                if (p.Completed == 10)
                {
                    stop.CancelAfter(100);
                }
            }), stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(File.ReadAllText(path).EndsWith('\n'));
        Assert.Equal(10, OutputsLines.Read(path).Count);
        Assert.False(File.Exists(path + ".lock"));

        await using var healthy = await FakeOpenAIServer.StartAsync();
        var summary = await new OutputCollector(Models(healthy, "m"), Fast).CollectAsync(prompts, path);
        Assert.Equal((10, 20), (summary.Models[0].AlreadyPresent, summary.Models[0].Collected));
        OutputsLines.AssertExactlyOnce(path, ["m"], prompts, FakeOpenAIServer.EchoAnswer);
    }

    [Fact]
    public async Task ApiKey_IsSent_AndNeverRepeated_EvenWhenTheServerEchoesIt()
    {
        const string key = "sk-test-SECRET-0123456789";
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { RequiredApiKey = "sk-the-right-one" });
        using var dir = new TempFolder();
        using var right = CollectionModel.OpenAICompatible("right", server.BaseUrl, "sk-the-right-one");
        using var wrong = CollectionModel.OpenAICompatible("wrong", server.BaseUrl, key);
        var summary = await new OutputCollector([right, wrong], Fast).CollectAsync(Prompts(3), dir.Combine("out.jsonl"));

        Assert.Null(summary.Models[0].Failure);
        var failure = summary.Models[1].Failure!;
        Assert.Equal((CollectionFailureKind.Rejected, 401), (failure.Kind, failure.StatusCode));
        Assert.Contains("Incorrect API key provided: ***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-the-right-one", File.ReadAllText(dir.Combine("out.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCollector_OnTheSameFile_IsRefused_ButReadersMayRead()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Delay = TimeSpan.FromMilliseconds(50) });
        using var dir = new TempFolder();
        string path = dir.Combine("out.jsonl");
        var prompts = Prompts(8);
        var first = new OutputCollector(Models(server, "m"), Fast with { MaxConcurrencyPerEndpoint = 1 }).CollectAsync(prompts, path);
        await Task.Delay(100);
        var ex = await Assert.ThrowsAsync<OutputsFileLockedException>(() => new OutputCollector(Models(server, "m"), Fast).CollectAsync(prompts, path));
        Assert.Contains("is being written by another collector", ex.Message, StringComparison.Ordinal);
        Assert.Equal((path, path + ".lock"), (ex.Path, ex.LockPath));
        using (var reading = new StreamReader(path))
        {
            // The file may still be empty here; what matters is that it opens for reading while locked.
            _ = ProvenanceSet.Outputs.ModelOutputReader.ReadJsonLines(reading, path).Count();
        }

        Assert.True((await first).IsComplete);
    }

    [Fact]
    public async Task AHeldLockFile_IsTheTypedLockException_NamingFileAndLock_AndNoRequestIsSent()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        string path = dir.Combine("out.jsonl");

        // What another collector holds while it runs: the lock file, opened exclusively.
        using (new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var ex = await Assert.ThrowsAsync<OutputsFileLockedException>(() => new OutputCollector(Models(server, "m"), Fast).CollectAsync(Prompts(3), path));
            Assert.IsAssignableFrom<IOException>(ex);
            Assert.Equal(path, ex.Path);
            Assert.Equal(path + ".lock", ex.LockPath);
            Assert.Equal($"{path} is being written by another collector (it holds out.jsonl.lock); let it finish or stop it first.", ex.Message);
        }

        Assert.Equal(0, server.Requests);
        Assert.True((await new OutputCollector(Models(server, "m"), Fast).CollectAsync(Prompts(3), path)).IsComplete);
    }

    [Fact]
    public async Task AMalformedCompleteLine_InTheExistingFile_IsAnErrorNamingTheLine()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        string path = dir.File("out.jsonl", Line("a", "p1", "x") + "not json\n" + Line("a", "p2", "y"));
        var ex = await Assert.ThrowsAsync<ProvenanceFormatException>(() => new OutputCollector(Models(server, "a"), Fast).CollectAsync(Prompts(3), path));
        Assert.Equal(2, ex.LineNumber);
        Assert.Equal(0, server.Requests);
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public async Task ADuplicatePair_InTheExistingFile_IsAnError()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var dir = new TempFolder();
        string path = dir.File("out.jsonl", Line("a", "p1", "x") + Line("a", "p1", "y"));
        var ex = await Assert.ThrowsAsync<ProvenanceFormatException>(() => new OutputCollector(Models(server, "a"), Fast).CollectAsync(Prompts(3), path));
        Assert.Contains("duplicate record for model 'a', prompt 'p1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_AreChecked()
    {
        using var client = CollectionModel.OpenAICompatible("a", new Uri("http://127.0.0.1:9/v1"));
        Assert.Throws<ArgumentException>(() => new OutputCollector([]));
        Assert.Throws<ArgumentException>(() => new OutputCollector([client, client]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutputCollector([client], CollectionOptions.Default with { MaxConcurrencyPerEndpoint = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutputCollector([client], CollectionOptions.Default with { Temperature = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutputCollector([client], CollectionOptions.Default with { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => CollectionModel.OpenAICompatible("a", new Uri("ftp://host/v1")));
        await Assert.ThrowsAsync<ArgumentException>(() => new OutputCollector([client]).CollectAsync([new PromptRecord("1", "x"), new PromptRecord("1", "y")], "out.jsonl"));
    }

    [Fact]
    public void Backoff_DoublesWithJitter_IsCapped_AndDependsOnlyOnTheSeed()
    {
        using var client = CollectionModel.OpenAICompatible("a", new Uri("http://127.0.0.1:9/v1"));
        var options = CollectionOptions.Default with { RetryBaseDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(10), Seed = 7 };
        var collector = new OutputCollector([client], options);
        for (int attempt = 0; attempt < 8; attempt++)
        {
            double expected = Math.Min(10, Math.Pow(2, attempt));
            double seconds = collector.Backoff(0, 3, attempt).TotalSeconds;
            Assert.InRange(seconds, expected * 0.5, expected);
            Assert.Equal(seconds, new OutputCollector([client], options).Backoff(0, 3, attempt).TotalSeconds);
        }

        Assert.NotEqual(collector.Backoff(0, 3, 2), collector.Backoff(0, 4, 2));
        Assert.NotEqual(collector.Backoff(0, 3, 2), new OutputCollector([client], options with { Seed = 8 }).Backoff(0, 3, 2));
    }

    [Theory]
    // Golden values from an independent Python implementation of the backoff (seed 7, base 1 s, at most 10 s).
    [InlineData(0, 3, 0, 0.9372221832444225)]
    [InlineData(0, 3, 2, 2.597465926962343)]
    [InlineData(1, 0, 1, 1.3643093112269278)]
    public void Backoff_MatchesGoldenValues(int model, int prompt, int attempt, double seconds)
    {
        using var client = CollectionModel.OpenAICompatible("a", new Uri("http://127.0.0.1:9/v1"));
        var options = CollectionOptions.Default with { RetryBaseDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(10), Seed = 7 };
        Assert.Equal(seconds, new OutputCollector([client], options).Backoff(model, prompt, attempt).TotalSeconds, 1e-6);
    }

    [Fact]
    public async Task RetryDelays_AreTheBackoffPerAttempt_OrTheServersRetryAfter()
    {
        // Prompt 1 fails twice with 500, prompt 2 once with 429 and Retry-After 0.05 s; one request at a time.
        var prompts = Prompts(2);
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Faults = (model, prompt, attempt) => prompt == prompts[0].Text && attempt <= 2 ? new Fault(FaultKind.ServerError)
                : prompt == prompts[1].Text && attempt == 1 ? new Fault(FaultKind.TooManyRequests, "0.05")
                : Fault.None,
        });
        using var dir = new TempFolder();
        var time = new RecordingTimeProvider();
        var options = Fast with { MaxConcurrencyPerEndpoint = 1, Seed = 3 };
        var collector = new OutputCollector(Models(server, "m"), options, time);
        var summary = await collector.CollectAsync(prompts, dir.Combine("out.jsonl"));

        Assert.True(summary.IsComplete, summary.Models[0].Failure?.Message);
        Assert.Equal(3, summary.Models[0].Retries);
        // Timers run on whole milliseconds.
        var waits = time.DueTimes.Where(d => d != options.Timeout).Take(3).ToList();
        TimeSpan[] expected = [collector.Backoff(0, 0, 0), collector.Backoff(0, 0, 1), TimeSpan.FromMilliseconds(50)];
        Assert.Equal(3, waits.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange((waits[i] - expected[i]).Duration().TotalMilliseconds, 0, 1);
        }

        Assert.NotEqual(collector.Backoff(0, 0, 0), collector.Backoff(0, 0, 1));
    }

    [Theory]
    [InlineData("3", 3.0)]
    [InlineData("0", 0.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("Wed, 21 Oct 2015 07:28:10 GMT", 10.0)]
    [InlineData("Wed, 21 Oct 2015 07:27:00 GMT", 0.0)]
    [InlineData("soon", null)]
    [InlineData("-4", null)]
    public void RetryAfter_SecondsOrHttpDate(string header, double? seconds)
    {
        var now = new DateTimeOffset(2015, 10, 21, 7, 28, 0, TimeSpan.Zero);
        Assert.Equal(seconds, FailureClassifier.ParseRetryAfter(header, now)?.TotalSeconds);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    [InlineData(501, false)]
    public void TransientStatuses(int status, bool transient) => Assert.Equal(transient, FailureClassifier.IsTransientStatus(status));

    private static string Line(string model, string promptId, string output) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["model"] = model, ["prompt_id"] = promptId, ["output"] = output }) + "\n";

    /// <summary>The system clock, recording the due time of every timer (retry delays, endpoint pauses, attempt timeouts).</summary>
    private sealed class RecordingTimeProvider : TimeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _dueTimes = new();

        public IEnumerable<TimeSpan> DueTimes => _dueTimes;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _dueTimes.Enqueue(dueTime);
            return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class SinkProgress(Action<CollectionProgress> report) : IProgress<CollectionProgress>
    {
        public void Report(CollectionProgress value) => report(value);
    }
}
