using System.Text.Json;
using PuppeteerSharp;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The HTML report, opened in a real headless Chromium with the network switched off: it must render
/// the answer and its plots from the file alone. Chromium comes from the Debian package `chromium`
/// (`.ci/run` installs it); set PROVENANCESET_CHROMIUM to use another binary.
/// </summary>
public class ReportTests
{
    internal static string Chromium()
    {
        string? configured = Environment.GetEnvironmentVariable("PROVENANCESET_CHROMIUM");
        string[] candidates = [configured ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium not found: install the Debian package 'chromium' (or set PROVENANCESET_CHROMIUM).");
    }

    internal static async Task<IBrowser> LaunchAsync(string profile) => await Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = Chromium(),
        Headless = true,
        UserDataDir = profile,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    private sealed record Rendered(string Text, double[][] SvgSizes, List<string> NetworkRequests, int Articles, double[] LegendBelowAxisLabel);

    private static async Task<Rendered> RenderAsync(string file, string folder)
    {
        await using var browser = await LaunchAsync(Path.Combine(folder, "profile"));
        await using var page = await browser.NewPageAsync();
        await page.SetOfflineModeAsync(true);
        var requests = new List<string>();
        page.Request += (_, e) =>
        {
            lock (requests)
            {
                if (!e.Request.Url.StartsWith("file:", StringComparison.Ordinal) && !e.Request.Url.StartsWith("data:", StringComparison.Ordinal))
                {
                    requests.Add(e.Request.Url);
                }
            }
        };
        var response = await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
        Assert.NotNull(response);
        string text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        double[][] sizes = await page.EvaluateExpressionAsync<double[][]>(
            "[...document.querySelectorAll('figure.plot svg')].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height, s.querySelectorAll('path, rect, line, text').length]; })");
        int articles = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('article').length");
        // Per plot: how far the legend's first line lies below the x-axis label (negative: inside the data area).
        double[] legends = await page.EvaluateExpressionAsync<double[]>("""
            [...document.querySelectorAll('figure.plot svg')].map(s => {
              const texts = [...s.querySelectorAll('text')];
              const label = texts.find(t => /mean distance to the target|under the null|step \(candidate tested\)/.test(t.textContent.trim()));
              const legend = texts.find(t => /in the set|^observed|^p \(this step\)/.test(t.textContent.trim()));
              return label && legend ? legend.getBoundingClientRect().top - label.getBoundingClientRect().bottom : -1000;
            })
            """);
        return new Rendered(text, sizes, requests, articles, legends);
    }

    [Fact]
    public async Task DemoReport_RendersTheSetAndItsPlots_Offline()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo", "--report", "demo.html");
        Assert.True(run.ExitCode == 0, run.Stderr);
        string file = Path.Combine(dir.Path, "demo.html");
        string html = File.ReadAllText(file);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        var rendered = await RenderAsync(file, dir.Path);
        Assert.Contains("The provenance set holds 2 of 50 candidates: model-31, model-38.", rendered.Text, StringComparison.Ordinal);
        // What ran, when and how to run it again from any folder.
        Assert.Contains("mps demo --report demo.html", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("mps demo --report " + file, rendered.Text, StringComparison.Ordinal);
        Assert.Matches(@"made \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by mps \d+\.\d+\.\d+ \(commit [0-9a-f]{40}\)", rendered.Text);
        Assert.Contains("No input file: the distances were simulated", rendered.Text, StringComparison.Ordinal);
        // Honest plots: the legends sit below the axis labels, outside the data; the dot plot says where its axis starts.
        Assert.All(rendered.LegendBelowAxisLabel, gap => Assert.True(gap >= 0, $"a legend overlaps the data area by {-gap} px"));
        Assert.Contains("not at zero", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Diagnostics", rendered.Text, StringComparison.Ordinal);
        // The mean distances, the p-value path and one null distribution per step (3 steps).
        Assert.Equal(5, rendered.SvgSizes.Length);
        Assert.All(rendered.SvgSizes, s => Assert.True(s[0] > 100 && s[1] > 100 && s[2] > 10, $"svg {s[0]}x{s[1]} with {s[2]} shapes"));
        Assert.Empty(rendered.NetworkRequests);
    }

    [Fact]
    public async Task TestReport_WithSeveralMatrices_HasOneArticleEach_AndAuditReportNamesTheTarget()
    {
        using var dir = new TempFolder();
        string a = dir.File("a.csv", "prompt_id,x1,x2,x3,x4\n" + string.Concat(Enumerable.Range(0, 30).Select(t => $"p{t},{0.2 + (t % 3 * 0.01)},{0.6 + (t % 5 * 0.01)},{0.61 + (t % 4 * 0.01)},{0.62 + (t % 2 * 0.01)}\n")));
        string b = dir.File("b.csv", "prompt_id,y1,y2,y3,y4\n" + string.Concat(Enumerable.Range(0, 30).Select(t => $"p{t},{0.6 + (t % 3 * 0.01)},{0.6 + (t % 5 * 0.01)},{0.61 + (t % 4 * 0.01)},{0.62 + (t % 2 * 0.01)}\n")));
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", a, "--matrix", b, "--permutations", "199", "--variant", "robust", "--report", "r.html");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var rendered = await RenderAsync(Path.Combine(dir.Path, "r.html"), dir.Path);
        Assert.Equal(2, rendered.Articles);
        Assert.Contains("robust (clustered calibration): does the closest candidate stand out from the spread of the others?", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("x1", rendered.Text, StringComparison.Ordinal);
        Assert.All(rendered.SvgSizes, s => Assert.True(s[0] > 100 && s[1] > 100));
        Assert.All(rendered.LegendBelowAxisLabel, gap => Assert.True(gap >= 0, $"a legend overlaps the data area by {-gap} px"));
        // Each article names the file it read, its size and SHA-256, a sha256sum check and the command with absolute paths.
        foreach (string file in new[] { a, b })
        {
            string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
            Assert.Contains($"--matrix\t{file}\t{new FileInfo(file).Length}\t{sha}", rendered.Text, StringComparison.Ordinal);
            Assert.Contains($"{sha}  {file}", rendered.Text, StringComparison.Ordinal);
        }

        Assert.Contains("sha256sum -c <<'EOF'", rendered.Text, StringComparison.Ordinal);
        Assert.Contains($"mps test --matrix {a} --matrix {b} --permutations 199 --variant robust --report {Path.Combine(dir.Path, "r.html")}", rendered.Text, StringComparison.Ordinal);

        string outputs = dir.File("outputs.jsonl", AuditTests.LineageJsonl());
        run = MpsProcess.Start(dir.Path, "audit", "--outputs", outputs, "--target", "child", "--tokenizer", "words", "--permutations", "199", "--report", "audit.html", "--json", "-",
            "--variant", "faithful", "--token-distance", "disagreement", "--normalize", "false");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        rendered = await RenderAsync(Path.Combine(dir.Path, "audit.html"), dir.Path);
        Assert.Contains("Audit of 'child'", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("The provenance set holds 1 of 4 candidates: parent.", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("token-disagreement@20/words", rendered.Text, StringComparison.Ordinal);
        Assert.Empty(rendered.NetworkRequests);
    }

    [Fact]
    public void ReportToAMissingFolder_ExitsTwo_AndWritesNothing()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo", "--report", Path.Combine("no-such-folder", "r.html"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the folder", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }
}
