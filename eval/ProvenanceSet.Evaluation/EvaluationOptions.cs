using ProvenanceSet.Outputs;

namespace ProvenanceSet.Evaluation;

/// <summary>What the evaluation runs and where it writes.</summary>
internal sealed record EvaluationOptions
{
    /// <summary>The reduced budget for CI: fewer repetitions, fewer permutations, fewer prompts.</summary>
    public bool Quick { get; init; }

    /// <summary>Folder of evaluation.md; plots go to its subfolder evaluation/.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The real-output development data (dev-cases.json, alpacaeval-dev.jsonl), or null to skip part (b).</summary>
    public string? RealDataFolder { get; init; }

    /// <summary>Where computed distance matrices are kept between runs (never committed), or null.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Makes the semantic distance provider, or null when semantic distances are not evaluated.</summary>
    public Func<IDistanceProvider>? SemanticProvider { get; init; }

    public ulong Seed { get; init; } = 20261126;

    /// <summary>Simulation repetitions per configuration.</summary>
    public int Repetitions => Quick ? 24 : 200;

    /// <summary>Permutation (or calibration) rounds per step.</summary>
    public int Rounds => Quick ? 99 : 199;

    /// <summary>Prompts used per real case (null: all).</summary>
    public int? RealPrompts => Quick ? 200 : null;

    public TextWriter Log { get; init; } = Console.Error;

    /// <summary>The parts to run (null: all): simulations, battery, zoo, real.</summary>
    public IReadOnlySet<string>? Parts { get; init; }

    public bool Runs(string part) => Parts is null || Parts.Contains(part);

    /// <summary>A seed per design and repetition: FNV-1a of the description, mixed with the evaluation seed (stable across runs).</summary>
    public ulong SeedFor(string what)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in what)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return Randomness.SplitMix64.Mix(hash ^ Seed);
    }
}
