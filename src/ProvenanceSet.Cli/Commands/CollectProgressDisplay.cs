using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Collection;
using ProvenanceSet.Collection.Collecting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ProvenanceSet.Cli.Commands;

/// <summary>
/// Shows <c>mps collect</c>'s progress on stderr: a Spectre.Console bar per model (answers, rate,
/// time left) on a terminal, or one status line per model at an interval when stderr is redirected.
/// </summary>
internal sealed class CollectProgressDisplay
{
    private readonly ConcurrentDictionary<string, ModelStats> _stats = new(StringComparer.Ordinal);
    private readonly string[] _models;
    private readonly TextWriter _error;
    private readonly IReadOnlyList<TextWriter> _lineWriters;
    private readonly TimeSpan? _lineInterval;
    private readonly Lock _writeLock = new();

    public CollectProgressDisplay(IEnumerable<string> models, int total, TextWriter error, IReadOnlyList<TextWriter> lineWriters, TimeSpan? lineInterval)
    {
        _models = [.. models];
        foreach (string model in _models)
        {
            _stats[model] = new ModelStats(total);
        }

        _error = error;
        _lineWriters = lineWriters;
        _lineInterval = lineInterval;
    }

    /// <summary>Answers appended in this run so far, over all models.</summary>
    public int NewAnswers => _stats.Values.Sum(s => s.New);

    /// <summary>Runs the collection with status lines at the interval (or silently).</summary>
    public async Task<CollectionSummary> RunAsync(Func<IProgress<CollectionProgress>, Task<CollectionSummary>> collect)
    {
        using var timer = _lineInterval is { } interval ? new Timer(_ => WriteLines(), null, interval, interval) : null;
        return await collect(new Sink(Update)).ConfigureAwait(false);
    }

    /// <summary>Runs the collection under a live progress bar per model.</summary>
    public async Task<CollectionSummary> RunWithBarAsync(Func<IProgress<CollectionProgress>, Task<CollectionSummary>> collect)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_error) });
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new StatsColumn(this), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                foreach (string model in _models)
                {
                    tasks[model] = context.AddTask(Markup.Escape(model), new ProgressTaskSettings { MaxValue = Math.Max(1, _stats[model].Total) });
                }

                var result = await collect(new Sink(p =>
                {
                    Update(p);
                    var task = tasks[p.Model];
                    task.Value = _stats[p.Model].Completed;
                    if (p.Status != CollectionModelStatus.Running)
                    {
                        task.StopTask();
                    }
                })).ConfigureAwait(false);
                context.Refresh();
                return result;
            }).ConfigureAwait(false);
    }

    private void Update(CollectionProgress p)
    {
        if (_stats.TryGetValue(p.Model, out var stats))
        {
            stats.Update(p);
        }
    }

    private void WriteLines()
    {
        lock (_writeLock)
        {
            foreach (var writer in _lineWriters)
            {
                foreach (string model in _models)
                {
                    writer.WriteLine($"mps collect: {model}: {_stats[model].Describe()}");
                }

                writer.Flush();
            }
        }
    }

    /// <summary>What the collector said last about one model, and how fast it goes.</summary>
    private sealed class ModelStats(int total)
    {
        private readonly Lock _lock = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _completed;
        private int _present;
        private int _retries;
        private CollectionModelStatus _status;

        public int Total { get; } = total;

        public int Completed
        {
            get
            {
                lock (_lock)
                {
                    return _completed;
                }
            }
        }

        public int New
        {
            get
            {
                lock (_lock)
                {
                    return _completed - _present;
                }
            }
        }

        public void Update(CollectionProgress p)
        {
            lock (_lock)
            {
                // Reports from concurrent workers may arrive out of order: counts only grow.
                _completed = Math.Max(_completed, p.Completed);
                _present = p.AlreadyPresent;
                _retries = Math.Max(_retries, p.Retries);
                if (p.Status != CollectionModelStatus.Running)
                {
                    _status = p.Status;
                }
            }
        }

        /// <summary>"1234/15000 (8.2%), 3.1/s, 1:12:03 left, 2 retries".</summary>
        public string Describe()
        {
            lock (_lock)
            {
                double seconds = _clock.Elapsed.TotalSeconds;
                int fresh = _completed - _present;
                double rate = seconds > 0 ? fresh / seconds : 0;
                string left = _status switch
                {
                    CollectionModelStatus.Completed => "done",
                    CollectionModelStatus.Stopped => "stopped",
                    _ when rate > 0 => FormatDuration(TimeSpan.FromSeconds((Total - _completed) / rate)) + " left",
                    _ => "time left unknown",
                };
                string percent = Total > 0 ? ((double)_completed / Total).ToString("0.0%", CultureInfo.InvariantCulture) : "-";
                return string.Create(CultureInfo.InvariantCulture,
                    $"{_completed}/{Total} ({percent}), {rate:0.0}/s, {left}{(_retries > 0 ? $", {_retries} retries" : string.Empty)}");
            }
        }

        /// <summary>The rate and time-left part for the bar.</summary>
        public string DescribeShort()
        {
            string text = Describe();
            int cut = text.IndexOf("), ", StringComparison.Ordinal);
            return cut > 0 ? string.Concat(text.AsSpan(0, text.IndexOf(" (", StringComparison.Ordinal)), ", ", text.AsSpan(cut + 3)) : text;
        }

        private static string FormatDuration(TimeSpan span) =>
            span.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
                : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }

    /// <summary>The bar's "1234/15000, 3.1/s, 1:12:03 left" column.</summary>
    private sealed class StatsColumn(CollectProgressDisplay display) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            string model = Markup.Remove(task.Description);
            return display._stats.TryGetValue(model, out var stats) ? new Text(stats.DescribeShort()) : Text.Empty;
        }
    }

    /// <summary>Calls back synchronously (unlike <see cref="Progress{T}"/>, which posts), so nothing arrives after the run.</summary>
    private sealed class Sink(Action<CollectionProgress> report) : IProgress<CollectionProgress>
    {
        public void Report(CollectionProgress value) => report(value);
    }
}
