using System.CommandLine;
using System.Globalization;
using ProvenanceSet.Cache;

namespace ProvenanceSet.Cli.Commands;

/// <summary>The fingerprint cache options of the commands that fingerprint outputs (README, "Fingerprint cache").</summary>
internal sealed class CacheOptions
{
    /// <summary>The default of --cache-max-mb: 1024 MiB, the library's default cap.</summary>
    public const double DefaultMaxMegabytes = SqliteFingerprintCache.DefaultMaxBytes / (1024.0 * 1024.0);

    public Option<string?> Folder { get; } = new("--cache")
    {
        Description = $"Folder of the fingerprint cache, where each distinct output's fingerprint is kept for later runs (file {SqliteFingerprintCache.FileName}). "
            + "Default: $XDG_CACHE_HOME/provenanceset, else ~/.cache/provenanceset on Linux; provenanceset in the local application data folder elsewhere. "
            + "The cache never changes a result.",
        HelpName = "DIR",
    };

    public Option<bool> Off { get; } = new("--no-cache")
    {
        Description = "Use no fingerprint cache: fingerprint every distinct output afresh, read and write no cache file.",
    };

    public Option<double> MaxMegabytes { get; } = new("--cache-max-mb")
    {
        Description = "Size cap of the cache file in MiB; past it, the least recently used fingerprints are evicted.",
        DefaultValueFactory = _ => DefaultMaxMegabytes,
        HelpName = "N",
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Folder, Off, MaxMegabytes })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Checks the values before any work.</summary>
    public void ValidateEarly(ParseResult parsed)
    {
        if (parsed.GetValue(Off) && parsed.GetValue(Folder) is not null)
        {
            throw new UsageException("--cache and --no-cache contradict each other: give one of them.");
        }

        double megabytes = parsed.GetValue(MaxMegabytes);
        if (!(double.IsFinite(megabytes) && megabytes > 0))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--cache-max-mb must be a positive number, got {megabytes}."));
        }
    }

    /// <summary>The cache the options ask for (null with --no-cache); it never fails: trouble turns it off, with a diagnostic.</summary>
    public SqliteFingerprintCache? Open(ParseResult parsed) => parsed.GetValue(Off)
        ? null
        : new SqliteFingerprintCache(parsed.GetValue(Folder), Math.Max(1, (long)(parsed.GetValue(MaxMegabytes) * 1024 * 1024)));

    /// <summary>What the cache had to say, and how the outputs got their fingerprints, for the human output (never the result: a cached run's result is the same).</summary>
    public static void Report(TextWriter human, TextWriter error, SqliteFingerprintCache? cache, Outputs.FingerprintCounts? counts, bool quiet)
    {
        foreach (string diagnostic in cache?.Diagnostics ?? [])
        {
            // A warning, not part of the result: it goes to stderr even with --json -.
            if (!quiet)
            {
                error.WriteLine($"warning: {diagnostic}");
            }
        }

        if (counts is not null)
        {
            string where = cache is null ? "no cache" : cache.IsEnabled ? $"cache {cache.FilePath}" : "cache off";
            human.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Fingerprints: {counts.Total} outputs; {counts.Fingerprinted} fingerprinted, {counts.FromCache} from the cache, {counts.Duplicates} identical to another output ({where})."));
        }
    }
}
