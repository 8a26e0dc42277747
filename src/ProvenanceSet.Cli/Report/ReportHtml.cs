using System.Globalization;
using System.Net;
using System.Text;
using ProvenanceSet.Cli.Results;

namespace ProvenanceSet.Cli.Report;

/// <summary>
/// What every HTML report shares: escaping, the look (CSS), the fact rows, and the sections that say
/// what was read, when, with what, and how to run it again. One place, so the audit and the screen
/// reports cannot drift apart.
/// </summary>
internal static class ReportHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The document's start up to and including &lt;main&gt;.</summary>
    public static void Open(StringBuilder html, string title, string extraCss = "")
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(Inv, $"<title>{E(title)} - Model Provenance Set</title>\n<style>{Css}{extraCss}</style>\n</head>\n<body>\n<main>\n");
    }

    /// <summary>The line under a report's heading: when and by which build it was made.</summary>
    public static string Lead(RunRecord run, string what) =>
        $"<p class=\"lead\">{E(what)}, made {E(Created(run))} by {RunRecord.Tool} {E(run.Version)} (commit {E(run.Commit)})</p>\n";

    /// <summary>The inputs with their SHA-256, the time, the tool and the command line.</summary>
    /// <param name="html">Where to write.</param>
    /// <param name="inputs">The files read.</param>
    /// <param name="run">The run.</param>
    /// <param name="noInputs">What to say when no file was read.</param>
    public static void Provenance(StringBuilder html, IReadOnlyList<InputFile> inputs, RunRecord run, string noInputs)
    {
        html.Append("<section class=\"provenance\">\n<h2>What was read, when, and with what</h2>\n");
        if (inputs.Count == 0)
        {
            html.Append("<p>").Append(E(noInputs)).Append("</p>\n");
        }
        else
        {
            html.Append("<table class=\"inputs\">\n<thead><tr><th>option</th><th>file</th><th>bytes</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
            foreach (var input in inputs)
            {
                html.Append(Inv, $"<tr><td>{E(input.Option)}</td><td>{E(input.Path)}</td><td>{input.Bytes}</td><td><code>{input.Sha256}</code></td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("<table class=\"facts\">\n");
        Row(html, "Made (UTC)", Created(run));
        Row(html, "Tool", $"{RunRecord.Tool} {run.Version}, commit {run.Commit}");
        Row(html, "Command line", run.CommandLine);
        Row(html, "Working folder", run.WorkingDirectory);
        html.Append("</table>\n</section>\n");
    }

    /// <summary>A sha256sum check of the inputs and the command with absolute paths.</summary>
    public static void Reproduce(StringBuilder html, IReadOnlyList<InputFile> inputs, RunRecord run)
    {
        html.Append("<section class=\"reproduce\">\n<h2>Reproduce</h2>\n");
        if (inputs.Count > 0)
        {
            html.Append("<p>Check that the inputs are the ones this report read (every line must say OK):</p>\n<pre><code class=\"checksums\">");
            html.Append("sha256sum -c &lt;&lt;&#39;EOF&#39;\n");
            foreach (var input in inputs)
            {
                html.Append(input.Sha256).Append("  ").Append(E(input.Path)).Append('\n');
            }

            html.Append("EOF</code></pre>\n");
        }

        html.Append("<p>Then this command, from any folder, gives the same result bit for bit on any number of threads ")
            .Append("(with this version of the tool; it writes the same output files again):</p>\n");
        html.Append("<pre><code class=\"command\">").Append(E(run.Reproduce)).Append("</code></pre>\n</section>\n");
    }

    public static string Created(RunRecord run) => run.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv);

    public static string StoppingText(ProvenanceResult result) => result.StoppingReason switch
    {
        StoppingReason.NotRejected => "a test did not reject; the remaining candidates are indistinguishable.",
        StoppingReason.OneCandidateLeft => "every test rejected until one candidate was left.",
        StoppingReason.FullPathCompleted => "the full path ran; every tested candidate has an inclusion p-value.",
        StoppingReason.BackgroundTooSmall => "too few candidates were left to estimate the background.",
        StoppingReason.TooFewBackgroundGroups => "too few groups of candidates that the data can tell apart were left to estimate the background's spread.",
        _ => result.StoppingReason.ToString(),
    };

    public static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    /// <summary>
    /// Text for HTML content and attribute values. Control characters other than tab and line breaks are
    /// not allowed in HTML (or in the SVG inside it) even as references: they become U+FFFD, shown, not dropped.
    /// </summary>
    public static string E(string text)
    {
        string encoded = WebUtility.HtmlEncode(text);
        return encoded.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            ? string.Concat(encoded.Select(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r') ? '\uFFFD' : c))
            : encoded;
    }

    public const string Css = """
        body { margin: 0; background: #f6f6f4; color: #1d1d1f; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        article + article { margin-top: 64px; padding-top: 24px; border-top: 4px solid #e4e4e0; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
        h1 { margin: 0 0 4px; font-size: 28px; }
        h2 { margin-top: 36px; padding-bottom: 4px; border-bottom: 2px solid #e4e4e0; font-size: 21px; }
        h3 { font-size: 17px; }
        .lead { margin-top: 0; color: #666; }
        .verdict { font-size: 17px; padding: 12px 16px; background: #fdf2f0; border-left: 4px solid #c0392b; }
        .member { color: #a93226; }
        table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e0; text-align: left; vertical-align: top; }
        table.results td:nth-child(n+3), table.steps td:nth-child(n+3) { text-align: right; }
        table.inputs td:nth-child(3) { text-align: right; }
        table.inputs code { font-size: 12px; word-break: break-all; }
        table.facts th { width: 220px; color: #555; font-weight: 600; }
        tr.in td { background: #fdf2f0; font-weight: 600; }
        .note { color: #666; font-size: 13px; }
        .guarantee { color: #333; font-size: 14px; }
        .warning { font-size: 15px; padding: 10px 14px; background: #fff6db; border-left: 4px solid #d68910; }
        .assumptions li.fails { color: #8a5300; }
        figure.plot { margin: 16px 0; }
        figure.plot svg { max-width: 100%; height: auto; }
        figcaption { color: #555; font-size: 13px; }
        .grid { display: flex; flex-wrap: wrap; gap: 8px 24px; }
        .grid figure { margin: 8px 0; }
        pre { background: #f3f3f0; padding: 12px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        """;
}
