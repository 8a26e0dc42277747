using System.CommandLine;
using System.Globalization;
using ProvenanceSet.Cli.Terminal;
using ProvenanceSet.Data;

namespace ProvenanceSet.Cli.Commands;

/// <summary>The options that <c>test</c> and <c>audit</c> share (README, "Your own distances").</summary>
internal sealed class SharedOptions
{
    public Option<double> Alpha { get; } = new("--alpha")
    {
        Description = "Significance level. faithful: every true source is in the set with probability at least 1 - alpha, asymptotically, "
            + "when the unrelated candidates are equally far from the target (checked on the data: assumption equidistant-background). "
            + "robust: a candidate that is just one more draw from the background of unrelated models enters the set with probability at most alpha; "
            + "the sources are found when they stand out from that background (a question of the gap, not a guarantee).",
        DefaultValueFactory = _ => ProvenanceOptions.Default.Alpha,
    };

    public Option<int> Permutations { get; } = new("--permutations")
    {
        Description = "Permutation rounds per step (Monte Carlo).",
        DefaultValueFactory = _ => ProvenanceOptions.Default.Permutations,
    };

    public Option<ulong> Seed { get; } = new("--seed")
    {
        Description = "Seed of the permutations; the same seed gives the same result on any number of threads.",
        DefaultValueFactory = _ => ProvenanceOptions.Default.Seed,
    };

    public Option<bool> FullPath { get; } = new("--full-path")
    {
        Description = "Keep eliminating after the first non-rejection, so every candidate gets an inclusion p-value.",
    };

    public Option<bool> Exact { get; } = new("--exact")
    {
        Description = "Enumerate every relabelling instead of sampling (an error above 10^6 relabellings).",
    };

    public Option<string> Variant { get; }

    public Option<string> Background { get; } = new("--background")
    {
        Description = "Robust variant: how its null is calibrated. clustered: candidates the data cannot tell apart count once, "
            + "each keeps its own noise, and the permutation test must agree (holds its level for model families, unequal noise and discrete distances). "
            + "normal, t4: the earlier calibrations, exact only when the unrelated candidates' mean distances are i.i.d. normal (t4) draws.",
        DefaultValueFactory = _ => EnumIds.ToId(ProvenanceOptions.Default.Background),
    };

    public Option<string?> Groups { get; } = new("--groups")
    {
        Description = "CSV of prompt_id,group: prompts of one group are permuted together (correlated prompts).",
        HelpName = "FILE",
    };

    public Option<string> PValueEstimator { get; } = new("--p-value")
    {
        Description = "plus-one: (1 + B)/(R + 1), a valid p-value. proportion: B/R, for comparison only.",
        DefaultValueFactory = _ => EnumIds.ToId(ProvenanceOptions.Default.PValueEstimator),
    };

    public Option<string> EarlyStop { get; } = new("--early-stopping")
    {
        Description = "decided: stop a step's rounds once p > alpha is certain (same decision as none). none: every step runs all rounds. "
            + string.Create(CultureInfo.InvariantCulture, $"sequential: also stop clearly significant steps (risk {ProvenanceOptions.Default.ResamplingRisk} of a wrong side per step)."),
        DefaultValueFactory = _ => EnumIds.ToId(ProvenanceOptions.Default.EarlyStopping),
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Most threads to use (-1: all cores). Results do not depend on it.",
        DefaultValueFactory = _ => ProvenanceOptions.Default.MaxDegreeOfParallelism,
    };

    public Option<bool> Quiet { get; } = QuietOption();

    /// <summary>Seconds between progress status lines of <c>test</c> and <c>audit</c>.</summary>
    public const double ProgressSeconds = 5;

    public Option<string> Progress { get; } = ProgressOption.Create(ProgressSeconds);

    /// <summary>The --quiet option (also used by commands without the shared options).</summary>
    public static Option<bool> QuietOption() => new("--quiet", "-q")
    {
        Description = "No tables and no progress (unless --progress asks for it): only errors (and the JSON when --json - asks for it on stdout).",
    };

    public Option<string?> Json { get; } = new("--json")
    {
        Description = "Write the result JSON to FILE ('-' for stdout; the tables then go to stderr), with the SHA-256 of every input file and "
            + "the run's time, tool version, commit and command line. Outputs must not name an input or each other; they are written together, only when the run succeeds.",
        HelpName = "FILE",
    };

    /// <summary>The shared options; <paramref name="defaultVariant"/> is the command's default variant.</summary>
    public SharedOptions(ProvenanceVariant defaultVariant = ProvenanceVariant.Faithful)
    {
        string id = EnumIds.ToId(defaultVariant);
        Variant = new Option<string>("--variant")
        {
            Description = "faithful: the procedure of the paper (null: all remaining candidates equally far from the target). "
                + "robust: the real-pool method (does the closest candidate stand out from the background of the others?).",
            DefaultValueFactory = _ => id,
        };
        Variant.AcceptOnlyFromAmong([.. EnumIds.Ids<ProvenanceVariant>()]);
        PValueEstimator.AcceptOnlyFromAmong([.. EnumIds.Ids<ProvenanceSet.PValueEstimator>()]);
        Background.AcceptOnlyFromAmong([.. EnumIds.Ids<RobustBackground>()]);
        EarlyStop.AcceptOnlyFromAmong([.. EnumIds.Ids<EarlyStopping>()]);
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Alpha, Permutations, Seed, FullPath, Exact, Variant, Background, Groups, PValueEstimator, EarlyStop, Threads, Json, Quiet, Progress })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The progress display of a command run with these options (<paramref name="label"/> starts each status line).</summary>
    public ProgressDisplay CreateProgress(ParseResult parsed, TextWriter output, TextWriter error, string label)
    {
        bool quiet = parsed.GetValue(Quiet);
        var human = HumanOutput.Writer(output, error, parsed.GetValue(Json), quiet);
        return new ProgressDisplay(
            ProgressTargets.Resolve(ProgressOption.Parse(parsed.GetValue(Progress)!), quiet, error, human, ProgressOption.Interval(ProgressSeconds)), label);
    }

    /// <summary>The options record for one matrix (groups resolved against its prompt ids).</summary>
    public ProvenanceOptions Resolve(ParseResult parsed, IReadOnlyList<string> promptIds)
    {
        string? groups = parsed.GetValue(Groups);
        return Settings(parsed) with { PromptGroups = groups is null ? null : PromptGrouping.ReadCsv(groups, promptIds) };
    }

    /// <summary>The settings that need no data; AcceptOnlyFromAmong has already refused unknown ids.</summary>
    public ProvenanceOptions Settings(ParseResult parsed) => ProvenanceOptions.Default with
    {
        Alpha = parsed.GetValue(Alpha),
        Permutations = parsed.GetValue(Permutations),
        Seed = parsed.GetValue(Seed),
        FullPath = parsed.GetValue(FullPath),
        Exact = parsed.GetValue(Exact),
        Variant = EnumIds.Parse<ProvenanceVariant>(parsed.GetValue(Variant)!),
        Background = EnumIds.Parse<RobustBackground>(parsed.GetValue(Background)!),
        PValueEstimator = EnumIds.Parse<ProvenanceSet.PValueEstimator>(parsed.GetValue(PValueEstimator)!),
        EarlyStopping = EnumIds.Parse<EarlyStopping>(parsed.GetValue(EarlyStop)!),
        MaxDegreeOfParallelism = parsed.GetValue(Threads),
    };

    /// <summary>The files an option names, each checked to exist (the message names the option and the file).</summary>
    public static string[] ExistingFiles(ParseResult parsed, Option<string[]> option)
    {
        string[] files = parsed.GetValue(option)!;
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{option.Name}: {file}: no such file.", file);
            }
        }

        return files;
    }

    /// <summary>
    /// Checks option values that need no data, so that bad usage fails before any work: the library's own check
    /// (<see cref="ProvenanceOptions.Validate"/>), its message speaking of the command-line option.
    /// </summary>
    public void ValidateEarly(ParseResult parsed)
    {
        try
        {
            Settings(parsed).Validate();
        }
        catch (ArgumentException ex) when (ex.ParamName is string property && OptionOf(property) is Option option)
        {
            // The library's message starts with the property's name; the user typed the option.
            string message = CliErrors.OneLine(ex);
            throw new UsageException(message.StartsWith(property + " ", StringComparison.Ordinal)
                ? option.Name + message[property.Length..]
                : $"{option.Name}: {message}");
        }

        if (parsed.GetValue(Groups) is string groups && !File.Exists(groups))
        {
            throw new UsageException($"--groups: {groups}: no such file.");
        }
    }

    private Option? OptionOf(string property) => property switch
    {
        nameof(ProvenanceOptions.Alpha) => Alpha,
        nameof(ProvenanceOptions.Permutations) => Permutations,
        nameof(ProvenanceOptions.MaxDegreeOfParallelism) => Threads,
        _ => null,
    };
}
