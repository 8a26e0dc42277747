using System.Diagnostics;
using System.Globalization;

namespace ProvenanceSet.Cli.Terminal;

/// <summary>
/// Progress as plain status lines for logs and pipes: every interval, one line per unfinished task that
/// moved ("mps audit: fingerprinting outputs 4096/16200 (25.3%), 310/s, 0:39 left"), and a closing line for
/// a task that was reported at least once. Short runs print nothing.
/// </summary>
internal sealed class ProgressLines : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<TextWriter> _writers;
    private readonly string _label;
    private readonly Timer _timer;

    public ProgressLines(IReadOnlyList<TextWriter> writers, string label, TimeSpan interval)
    {
        _writers = writers;
        _label = label;
        _timer = new Timer(_ => WriteDue(), null, interval, interval);
    }

    /// <summary>Records a task's count; <paramref name="total"/> may be 0 while unknown.</summary>
    public void Update(string key, string name, long completed, long total)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var entry))
            {
                _byKey[key] = entry = new Entry(name);
                _entries.Add(entry);
            }

            entry.Completed = Math.Max(entry.Completed, completed);
            entry.Total = total;
            if (total > 0 && entry.Completed >= total && !entry.Done)
            {
                entry.Done = true;
                if (entry.Reported)
                {
                    Write($"{entry.Name} {entry.Completed}/{entry.Total} done in {Duration(entry.Clock.Elapsed)}");
                }
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
    }

    private void WriteDue()
    {
        lock (_lock)
        {
            foreach (var entry in _entries)
            {
                if (!entry.Done && (!entry.Reported || entry.Completed != entry.ReportedCompleted))
                {
                    entry.Reported = true;
                    entry.ReportedCompleted = entry.Completed;
                    Write(entry.Describe());
                }
            }
        }
    }

    private void Write(string line)
    {
        foreach (var writer in _writers)
        {
            writer.WriteLine($"{_label}: {line}");
            writer.Flush();
        }
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");

    private sealed class Entry(string name)
    {
        public string Name { get; } = name;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public long Completed { get; set; }

        public long Total { get; set; }

        public bool Done { get; set; }

        public bool Reported { get; set; }

        public long ReportedCompleted { get; set; }

        public string Describe()
        {
            double seconds = Clock.Elapsed.TotalSeconds;
            double rate = seconds > 0 ? Completed / seconds : 0;
            if (Total <= 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{Name} {Completed}, {rate:0.#}/s, running {Duration(Clock.Elapsed)}");
            }

            string left = rate > 0 ? Duration(TimeSpan.FromSeconds((Total - Completed) / rate)) + " left" : "time left unknown";
            return string.Create(CultureInfo.InvariantCulture,
                $"{Name} {Completed}/{Total} ({(double)Completed / Total:0.0%}), {rate:0.#}/s, {left}");
        }
    }
}
