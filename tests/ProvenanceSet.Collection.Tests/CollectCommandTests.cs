using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ProvenanceSet.Collection.Prompts;

namespace ProvenanceSet.Collection.Tests;

/// <summary><c>mps prompts</c> and <c>mps collect</c> as a user runs them: the real executable, in its own process.</summary>
public class CollectCommandTests
{
    private static readonly string[] Fast = ["--retry-delay", "0.02", "--timeout", "10"];

    [Fact]
    public async Task Prompts_WritesTheLibrarysPrompts()
    {
        using var dir = new TempFolder();
        var run = await MpsProcess.RunAsync(dir.Path, "prompts", "--count", "50", "--seed", "4", "--generator", "sentences", "--out", "p.jsonl");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("Wrote 50 prompts (generator sentences, seed 4) to p.jsonl.\n", run.Stdout);
        Assert.Equal(PromptFile.ToJsonLines(PromptGenerator.Generate(50, 4, PromptGeneratorKind.Sentences)), File.ReadAllText(dir.Combine("p.jsonl")));

        dir.File("mine.txt", "What is rain?\n\nName three rivers.\nWhy is the sky blue?\n");
        run = await MpsProcess.RunAsync(dir.Path, "prompts", "--from", "mine.txt", "--count", "2", "--out", "-");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"prompt_id\":\"p1\",\"prompt\":\"What is rain?\"}\n{\"prompt_id\":\"p2\",\"prompt\":\"Name three rivers.\"}\n", run.Stdout);
    }

    [Fact]
    public async Task Prompts_From_SaysWhichBlankLinesItSkipped_AndIdsNumberThePrompts()
    {
        using var dir = new TempFolder();
        dir.File("mine.txt", "What is rain?\n\n   \nName three rivers.\nWhy is the sky blue?\n");
        var run = await MpsProcess.RunAsync(dir.Path, "prompts", "--from", "mine.txt", "--out", "p.jsonl");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("mps prompts: mine.txt: skipped 2 blank lines (lines 2, 3); the ids p1, p2, ... number the prompts, not the lines.\n", run.Stderr);
        Assert.Equal("Wrote 3 prompts (from mine.txt) to p.jsonl.\n", run.Stdout);
        Assert.Equal(["p1", "p2", "p3"], PromptFile.Read(dir.Combine("p.jsonl")).Select(p => p.Id));
        Assert.Equal("Name three rivers.", PromptFile.Read(dir.Combine("p.jsonl"))[1].Text);

        // Without blank lines nothing is said.
        dir.File("dense.txt", "One?\nTwo?\n");
        run = await MpsProcess.RunAsync(dir.Path, "prompts", "--from", "dense.txt", "--out", "-");
        Assert.Equal((0, string.Empty), (run.ExitCode, run.Stderr));

        var help = await MpsProcess.RunAsync(dir.Path, "prompts", "--help");
        Assert.Contains("Blank lines are skipped (stderr says which), and the ids p1, p2, ... number the prompts in order, not the lines.", System.Text.RegularExpressions.Regex.Replace(help.Stdout, @"\s+", " "), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "prompts", "--out", "p.jsonl" }, "--count is required")]
    [InlineData(new[] { "prompts", "--count", "0", "--out", "p.jsonl" }, "--count must lie between 1 and 1000000, got 0")]
    [InlineData(new[] { "prompts", "--from", "absent.txt", "--out", "p.jsonl" }, "--from: absent.txt: no such file")]
    [InlineData(new[] { "prompts", "--count", "3", "--generator", "poems", "--out", "p.jsonl" }, "--generator must be mixed, sentences or instructions, got 'poems'")]
    [InlineData(new[] { "prompts", "--count", "3", "--out", "no-such-folder/p.jsonl" }, "the folder")]
    [InlineData(new[] { "collect", "--prompts", "absent.jsonl", "--model", "m=http://127.0.0.1:9/v1", "--out", "o.jsonl" }, "--prompts: absent.jsonl: no such file")]
    [InlineData(new[] { "collect", "--prompts", "bad.jsonl", "--model", "m=http://127.0.0.1:9/v1", "--out", "o.jsonl" }, "bad.jsonl, line 2, column")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "just-a-name", "--out", "o.jsonl" }, "--model 'just-a-name': expected NAME=URL")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=localhost:8000", "--out", "o.jsonl" }, "--model 'm': 'localhost:8000' is not an http:// or https:// URL")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://u:pw@host/v1#", "--out", "o.jsonl" }, "--model 'm=http://***@host/v1#': nothing after '#'")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--model", "m=http://b/v1", "--out", "o.jsonl" }, "--model 'm' is given twice")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--api-key-env", "MPS_TEST_UNSET_VARIABLE", "--out", "o.jsonl" }, "the environment variable 'MPS_TEST_UNSET_VARIABLE' is not set or empty")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--api-key-env", "other=HOME", "--out", "o.jsonl" }, "no --model is named 'other'")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--concurrency", "0", "--out", "o.jsonl" }, "--concurrency must be at least 1, got 0")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--timeout", "0", "--out", "o.jsonl" }, "--timeout must be more than 0")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--max-tokens-field", "tokens", "--out", "o.jsonl" }, "--max-tokens-field must be both, max_tokens or max_completion_tokens, got 'tokens'")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--progress", "fancy", "--out", "o.jsonl" }, "--progress: 'fancy' is not one of auto, bar, lines, none.")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--out", "no-such-folder/o.jsonl" }, "the folder")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--model", "m=http://a/v1", "--out", "broken.jsonl" }, "broken.jsonl, line 1")]
    [InlineData(new[] { "collect", "--prompts", "p.jsonl", "--out", "o.jsonl" }, "--model")]
    public async Task BadInput_ExitsTwo_WithOneLine(string[] args, string expected)
    {
        using var dir = new TempFolder();
        dir.File("p.jsonl", "{\"prompt_id\": \"1\", \"prompt\": \"x\"}\n");
        dir.File("bad.jsonl", "{\"prompt_id\": \"1\", \"prompt\": \"x\"}\n{\"prompt_id\": \"2\", \"prompt\": \n");
        dir.File("broken.jsonl", "this is not an outputs record\n");
        var run = await MpsProcess.RunAsync(dir.Path, args);
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.StartsWith("mps: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Help_ListsTheOptions_AndExamples()
    {
        using var dir = new TempFolder();
        var collect = await MpsProcess.RunAsync(dir.Path, "collect", "--help");
        Assert.Equal(0, collect.ExitCode);
        foreach (string option in new[] { "--prompts", "--model", "--out", "--api-key-env", "--max-tokens", "--temperature", "--concurrency", "--retries", "--timeout", "Examples:", "11434/v1" })
        {
            Assert.Contains(option, collect.Stdout, StringComparison.Ordinal);
        }

        var prompts = await MpsProcess.RunAsync(dir.Path, "prompts", "--help");
        Assert.Contains("mps prompts --count 20000 --seed 1 --out prompts.jsonl", prompts.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_WithAKeyFromTheEnvironment_WritesEveryPair_AndTheKeyNowhere()
    {
        const string key = "sk-proc-Kq8Zr2mXw9";
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { RequiredApiKey = key });
        using var dir = new TempFolder();
        var prompts = PromptGenerator.Generate(15, seed: 2);
        PromptFile.Write(dir.Combine("p.jsonl"), prompts);
        var env = new Dictionary<string, string> { ["MPS_TEST_KEY"] = key };
        var run = await MpsProcess.RunAsync(dir.Path, env, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", $"a={server.BaseUrl}",
            "--model", $"b={server.BaseUrl}", "--api-key-env", "MPS_TEST_KEY", "--include-prompt", .. Fast]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Collected into o.jsonl: 15 prompts x 2 model(s).", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n  a +15/15 +15 +0 +0 +complete\n", run.Stdout);
        OutputsLines.AssertExactlyOnce(dir.Combine("o.jsonl"), ["a", "b"], prompts, FakeOpenAIServer.EchoAnswer);
        Assert.DoesNotContain(key, run.Stdout + run.Stderr + File.ReadAllText(dir.Combine("o.jsonl")), StringComparison.Ordinal);
        Assert.Equal(["o.jsonl", "p.jsonl"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Collect_AWrongKey_ExitsTwo_NamingModelAndStatus_WithoutTheKey()
    {
        const string wrong = "sk-wrong-Zt4Vb8nLq1";
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { RequiredApiKey = "sk-right" });
        using var dir = new TempFolder();
        PromptFile.Write(dir.Combine("p.jsonl"), PromptGenerator.Generate(5));
        var env = new Dictionary<string, string> { ["MPS_TEST_KEY"] = wrong };
        var run = await MpsProcess.RunAsync(dir.Path, env, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", $"m={server.BaseUrl}",
            "--api-key-env", "m=MPS_TEST_KEY", .. Fast]);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"mps: error: model 'm' at {server.BaseUrl.ToString().TrimEnd('/')} refused prompt 'p", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, run.Stdout + run.Stderr + File.ReadAllText(dir.Combine("o.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_AnUnreachableEndpoint_ExitsOne_AfterTheRetries()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var dir = new TempFolder();
        PromptFile.Write(dir.Combine("p.jsonl"), PromptGenerator.Generate(3));
        var run = await MpsProcess.RunAsync(dir.Path, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", $"m=http://127.0.0.1:{port}/v1", "--retries", "2", .. Fast]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"mps: error: model 'm' at http://127.0.0.1:{port}/v1 gave up after 2 retries on prompt 'p", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("connection failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("the same command resumes", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_KilledMidRun_ThenRestarted_HoldsEveryPairExactlyOnce()
    {
        var prompts = PromptGenerator.Generate(60, seed: 8);
        string[] models = ["a", "b", "c"];
        using var dir = new TempFolder();
        PromptFile.Write(dir.Combine("p.jsonl"), prompts);
        string outputs = dir.Combine("o.jsonl");

        await using (var slow = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Delay = TimeSpan.FromMilliseconds(25) }))
        {
            using var process = Process.Start(MpsProcess.Info(dir.Path, null, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl",
                .. models.SelectMany(m => new[] { "--model", $"{m}={slow.BaseUrl}" }), "--concurrency", "2", .. Fast]))!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await WaitForLinesAsync(outputs, 40, process);
            process.Kill(); // SIGKILL: no chance to clean up
            await process.WaitForExitAsync();
        }

        int before = OutputsLines.Read(outputs).Count;
        Assert.InRange(before, 40, 179);
        Assert.True(File.ReadAllText(outputs).EndsWith('\n'));
        // As if the kill had landed in the middle of a write.
        File.AppendAllText(outputs, "{\"model\":\"b\",\"prompt_id\":\"p59\",\"output\":\"b answ");

        await using var fast = await FakeOpenAIServer.StartAsync();
        var run = await MpsProcess.RunAsync(dir.Path, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl",
            .. models.SelectMany(m => new[] { "--model", $"{m}={fast.BaseUrl}" }), .. Fast]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Repaired the file first: cut an incomplete last line", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(180 - before, fast.Requests);
        OutputsLines.AssertExactlyOnce(outputs, models, prompts, FakeOpenAIServer.EchoAnswer);
    }

    [Fact]
    public async Task Collect_Interrupted_BySigint_StopsCleanly_AndResumes_ASecondCollectorIsRefused()
    {
        var prompts = PromptGenerator.Generate(20, seed: 6);
        var firstTen = prompts.Take(10).Select(p => p.Text).ToHashSet();
        using var dir = new TempFolder();
        PromptFile.Write(dir.Combine("p.jsonl"), prompts);
        string outputs = dir.Combine("o.jsonl");
        await using (var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Faults = (_, prompt, _) => firstTen.Contains(prompt) ? Fault.None : new Fault(FaultKind.Stall),
        }))
        {
            using var process = Process.Start(MpsProcess.ForegroundInfo(dir.Path, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", $"m={server.BaseUrl}", "--concurrency", "2", .. Fast]))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await WaitForLinesAsync(outputs, 10, process);
            await Task.Delay(200); // the requests for p11 and p12 are now hanging

            // A second collector on the same file is refused while the first runs.
            var second = await MpsProcess.RunAsync(dir.Path, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", $"m={server.BaseUrl}", .. Fast]);
            Assert.Equal(2, second.ExitCode);
            Assert.Equal("mps: error: o.jsonl is being written by another collector (it holds o.jsonl.lock); let it finish or stop it first.\n", second.Stderr);
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(limit.Token);
            Assert.Equal(1, process.ExitCode);
            Assert.Equal($"mps: interrupted: 10 new answer(s) were appended to o.jsonl; run the same command to resume.\n", await stderr);
            Assert.Equal(string.Empty, await stdout);
        }

        Assert.Equal(10, OutputsLines.Read(outputs).Count);
        Assert.True(File.ReadAllText(outputs).EndsWith('\n'));
        Assert.False(File.Exists(outputs + ".lock"));

        await using var healthy = await FakeOpenAIServer.StartAsync();
        var run = await MpsProcess.RunAsync(dir.Path, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", $"m={healthy.BaseUrl}", .. Fast]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"\n  m +20/20 +10 +10 +0 +complete\n", run.Stdout);
        OutputsLines.AssertExactlyOnce(outputs, ["m"], prompts, FakeOpenAIServer.EchoAnswer);
    }

    /// <summary>
    /// Prompts, then collection from a server whose "models" have a known lineage (the child keeps
    /// its parent's first eight words), then <c>mps audit</c>: the set is the parent.
    /// </summary>
    [Fact]
    public async Task Collect_OnAFileWhoseLockIsHeld_ExitsTwo_WithTheLockMessage()
    {
        using var dir = new TempFolder();
        PromptFile.Write(dir.Combine("p.jsonl"), PromptGenerator.Generate(3, seed: 1));

        // Another collector's lock, held by this process; the endpoint is never contacted.
        using var held = new FileStream(dir.Combine("o.jsonl.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var run = await MpsProcess.RunAsync(dir.Path, ["collect", "--prompts", "p.jsonl", "--out", "o.jsonl", "--model", "m=http://127.0.0.1:9/v1", .. Fast]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("mps: error: o.jsonl is being written by another collector (it holds o.jsonl.lock); let it finish or stop it first.\n", run.Stderr);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task EndToEnd_PromptsCollectAudit_FindsTheParent()
    {
        static string? Lineage(string model, string prompt) => model switch
        {
            "parent" => FakeOpenAIServer.Words("parent|" + prompt, 30),
            "child" => FakeOpenAIServer.Words("parent|" + prompt, 8) + " " + FakeOpenAIServer.Words("child|" + prompt, 22),
            "other-a" or "other-b" or "other-c" => FakeOpenAIServer.Words(model + "|" + prompt, 30),
            _ => null,
        };

        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions
        {
            Answer = Lineage,
            // Some weather on the way: every seventh request fails once.
            Faults = (model, prompt, attempt) => attempt == 1 && (model.Length + prompt.Length) % 7 == 0 ? new Fault(FaultKind.ServerError) : Fault.None,
        });
        using var dir = new TempFolder();
        var prompts = await MpsProcess.RunAsync(dir.Path, "prompts", "--count", "60", "--seed", "11", "--out", "prompts.jsonl");
        Assert.True(prompts.ExitCode == 0, prompts.Stderr);

        string[] models = ["child", "parent", "other-a", "other-b", "other-c"];
        var collect = await MpsProcess.RunAsync(dir.Path, ["collect", "--prompts", "prompts.jsonl", "--out", "outputs.jsonl",
            .. models.SelectMany(m => new[] { "--model", $"{m}={server.BaseUrl}" }), "--max-tokens", "64", .. Fast]);
        Assert.True(collect.ExitCode == 0, collect.Stderr);
        OutputsLines.AssertExactlyOnce(dir.Combine("outputs.jsonl"), models, PromptFile.Read(dir.Combine("prompts.jsonl")), Lineage);

        // Four candidates are too few for the real-pool default: the paper's procedure on raw distances.
        var audit = await MpsProcess.RunAsync(dir.Path, "audit", "--outputs", "outputs.jsonl", "--target", "child", "--tokenizer", "words",
            "--permutations", "199", "--json", "result.json", "--variant", "faithful", "--token-distance", "disagreement", "--normalize", "false");
        Assert.True(audit.ExitCode == 0, audit.Stderr);
        Assert.Contains("Audit of 'child': 4 candidates x 60 prompts", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("Provenance set (1 of 4): parent", audit.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine("result.json")));
        Assert.Equal(["parent"], json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
    }

    private static async Task WaitForLinesAsync(string path, int lines, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (File.Exists(path) && File.ReadAllText(path).Count(c => c == '\n') >= lines)
            {
                return;
            }

            Assert.False(process.HasExited, "mps collect ended before the test could interrupt it");
            await Task.Delay(20);
        }

        throw new TimeoutException($"{path} did not reach {lines} lines.");
    }
}
