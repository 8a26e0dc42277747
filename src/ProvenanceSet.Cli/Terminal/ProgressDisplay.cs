using System.Globalization;
using ModelProvenance.Outputs;
using Spectre.Console;

namespace ModelProvenance.Cli.Terminal;

/// <summary>
/// Live progress bars on stderr (rate and time left) for the long parts of a command: indexing and
/// fingerprinting outputs, computing distances, and each step's permutation rounds. Shown only on
/// an interactive terminal and without <c>--quiet</c>; otherwise the work runs silently.
/// </summary>
internal sealed class ProgressDisplay(TextWriter error, bool quiet)
{
    private readonly bool _enabled = !quiet && CliConsole.IsTerminal(error);

    /// <summary>Runs <paramref name="work"/>, giving it progress sinks that drive the bars.</summary>
    public T Run<T>(Func<Sinks, T> work)
    {
        if (!_enabled)
        {
            return work(new Sinks(null, null));
        }

        return CliConsole.For(error).Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var steps = new Dictionary<int, ProgressTask>();
                var stages = new Dictionary<DistanceStage, ProgressTask>();
                var distanceSink = new Sink<DistanceProgress>(p =>
                {
                    lock (stages)
                    {
                        if (!stages.TryGetValue(p.Stage, out var task))
                        {
                            stages[p.Stage] = task = context.AddTask(StageName(p.Stage), autoStart: true, maxValue: Math.Max(1, p.Total));
                        }

                        if (p.Total > 0)
                        {
                            task.MaxValue = p.Total;
                        }

                        task.Value = p.Completed;
                        if (p.Total > 0 && p.Completed >= p.Total)
                        {
                            task.StopTask();
                        }
                    }
                });
                var stepSink = new Sink<ProvenanceProgress>(p =>
                {
                    lock (steps)
                    {
                        if (!steps.TryGetValue(p.Step, out var task))
                        {
                            steps[p.Step] = task = context.AddTask(
                                string.Create(CultureInfo.InvariantCulture, $"step {p.Step + 1} (m = {p.ActiveCount})"), autoStart: true, maxValue: Math.Max(1, p.RoundsTotal));
                        }

                        task.Value = Math.Max(task.Value, p.RoundsCompleted);
                        if (p.RoundsCompleted >= p.RoundsTotal)
                        {
                            task.StopTask();
                        }
                    }
                });
                return work(new Sinks(distanceSink, stepSink));
            });
    }

    private static string StageName(DistanceStage stage) => stage switch
    {
        DistanceStage.Indexing => "reading outputs",
        DistanceStage.Fingerprinting => "fingerprinting outputs",
        _ => "computing distances",
    };

    /// <summary>The progress sinks handed to the work; null when nothing is shown.</summary>
    public sealed record Sinks(IProgress<DistanceProgress>? Distances, IProgress<ProvenanceProgress>? Steps);

    private sealed class Sink<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Completed units per second.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is double speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:N0}/s") : "", new Style(Color.Grey));
    }
}
