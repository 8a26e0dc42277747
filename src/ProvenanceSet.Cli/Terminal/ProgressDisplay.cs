using System.Globalization;
using ProvenanceSet.Outputs;
using ProvenanceSet.Screening;
using Spectre.Console;

namespace ProvenanceSet.Cli.Terminal;

/// <summary>
/// Progress of the long parts of a command (reading and fingerprinting outputs, computing distances,
/// each step's permutation rounds) as live bars on a terminal and/or status lines for logs and pipes,
/// wherever <see cref="ProgressTargets"/> says.
/// </summary>
internal sealed class ProgressDisplay(ProgressTargets targets, string label)
{
    /// <summary>Runs <paramref name="work"/>, giving it progress sinks that drive the bars and lines.</summary>
    public T Run<T>(Func<Sinks, T> work)
    {
        if (!targets.Any)
        {
            return work(new Sinks(null, null, null));
        }

        using var lines = targets.Lines.Count > 0 ? new ProgressLines(targets.Lines, label, targets.Interval) : null;
        if (targets.Bars is null)
        {
            return work(CreateSinks(lines, null));
        }

        return CliConsole.For(targets.Bars).Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(CreateSinks(lines, new Bars(context))));
    }

    private static Sinks CreateSinks(ProgressLines? lines, Bars? bars)
    {
        void Update(string key, string name, long completed, long total)
        {
            lines?.Update(key, name, completed, total);
            bars?.Update(key, name, completed, total);
        }

        return new Sinks(
            new Sink<DistanceProgress>(p => Update("stage-" + p.Stage, StageName(p.Stage), p.Completed, p.Total)),
            new Sink<ScreenProgress>(p => Update("screen-" + p.Stage, ScreenStageName(p.Stage), p.Completed, p.Total)),
            new Sink<ProvenanceProgress>(p => Update(
                string.Create(CultureInfo.InvariantCulture, $"step-{p.Step}"),
                string.Create(CultureInfo.InvariantCulture, $"step {p.Step + 1} (m = {p.ActiveCount}) rounds"),
                p.RoundsCompleted,
                p.RoundsTotal)));
    }

    private static string StageName(DistanceStage stage) => stage switch
    {
        DistanceStage.Indexing => "reading outputs",
        DistanceStage.Fingerprinting => "fingerprinting outputs",
        _ => "computing distances",
    };

    private static string ScreenStageName(ScreenStage stage) => stage switch
    {
        ScreenStage.Indexing => "reading outputs",
        ScreenStage.Fingerprinting => "fingerprinting outputs",
        ScreenStage.Distances => "computing distances",
        _ => "targets audited",
    };

    /// <summary>The progress sinks handed to the work; null when nothing is shown.</summary>
    public sealed record Sinks(IProgress<DistanceProgress>? Distances, IProgress<ScreenProgress>? Screen, IProgress<ProvenanceProgress>? Steps);

    private sealed class Sink<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>One Spectre.Console bar per task.</summary>
    private sealed class Bars(ProgressContext context)
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Update(string key, string name, long completed, long total)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(key, out var task))
                {
                    _tasks[key] = task = context.AddTask(Markup.Escape(name), autoStart: true, maxValue: Math.Max(1, total));
                }

                if (total > 0)
                {
                    task.MaxValue = total;
                }

                task.Value = Math.Max(task.Value, completed);
                if (total > 0 && completed >= total)
                {
                    task.StopTask();
                }
            }
        }
    }

    /// <summary>Completed units per second.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is double speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:N0}/s") : "", new Style(Color.Grey));
    }
}
