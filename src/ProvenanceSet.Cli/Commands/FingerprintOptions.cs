using System.CommandLine;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Cli.Commands;

/// <summary>The options of commands that read model outputs (<c>audit</c>, <c>screen</c>): the files, the distance and the alignment.</summary>
internal sealed class FingerprintOptions
{
    public Option<string[]> Outputs { get; } = new("--outputs")
    {
        Description = "Model outputs, JSON Lines: {\"model\": ..., \"prompt_id\": ..., \"output\": ...}. Repeat for several files (merged).",
        Required = true,
        HelpName = "FILE.jsonl",
    };

    public Option<string> Distance { get; } = new("--distance")
    {
        Description = "token: first-K-token fingerprints (fast; shallow lineages). semantic: sentence embeddings (deep lineages).",
        DefaultValueFactory = _ => "token",
    };

    public Option<string> TokenDistance { get; } = new("--token-distance")
    {
        Description = "edit (default): normalised edit distance over the first K tokens. disagreement: share of the first K positions that differ. first-token: first tokens differ.",
        // The command line's own default, not the library's: edit distances found every source on the evaluation's real outputs.
        DefaultValueFactory = _ => EnumIds.ToId(TokenDistanceKind.EditDistance),
    };

    public Option<int> Tokens { get; } = new("--tokens") { Description = "K, the number of leading tokens compared.", DefaultValueFactory = _ => TokenDistanceOptions.Default.Length, HelpName = "K" };

    public Option<string> Tokenizer { get; } = new("--tokenizer")
    {
        Description = "auto (the records' token ids when all carry them, else cl100k), cl100k, o200k, gpt2, words, producer.",
        DefaultValueFactory = _ => EnumIds.ToId(TokenDistanceOptions.Default.Tokenizer),
    };

    public Option<bool> Normalize { get; } = new("--normalize")
    {
        Description = "Subtract from each distance the candidate's mean distance to the other candidates on that prompt (removes style and length effects). "
            + "On by default; --normalize false turns it off.",
        DefaultValueFactory = _ => true,
    };

    public Option<int?> MaxPrompts { get; } = new("--max-prompts")
    {
        Description = "After aligning, use only the first K prompts, in the order in which the target's outputs first list them.",
        HelpName = "K",
    };

    public Option<string> Missing { get; } = new("--missing")
    {
        Description = "drop: drop prompts some model lacks, for everyone, and report them. error: refuse.",
        DefaultValueFactory = _ => EnumIds.ToId(MissingPromptPolicy.Drop),
    };

    public Option<int> MaxTokens { get; } = new("--max-tokens")
    {
        Description = "Semantic distance: texts are cut to this many MiniLM tokens before embedding (3-512).",
        DefaultValueFactory = _ => 128,
    };

    public FingerprintOptions()
    {
        Distance.AcceptOnlyFromAmong("token", "semantic");
        TokenDistance.AcceptOnlyFromAmong([.. EnumIds.Ids<TokenDistanceKind>()]);
        Tokenizer.AcceptOnlyFromAmong([.. EnumIds.Ids<TokenizerKind>()]);
        Missing.AcceptOnlyFromAmong([.. EnumIds.Ids<MissingPromptPolicy>()]);
    }

    /// <summary>Adds the options; <paramref name="between"/> goes after --outputs (e.g. --target and --candidates).</summary>
    public void AddTo(Command command, params Option[] between)
    {
        foreach (Option option in new Option[] { Outputs }.Concat(between).Concat([Distance, TokenDistance, Tokens, Tokenizer, Normalize, MaxPrompts, Missing, MaxTokens]))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Checks the values that need no data; returns the outputs files, each checked to exist.</summary>
    public string[] Validate(ParseResult parsed)
    {
        string[] files = SharedOptions.ExistingFiles(parsed, Outputs);
        if (parsed.GetValue(Tokens) < 1)
        {
            throw new UsageException($"--tokens must be at least 1, got {parsed.GetValue(Tokens)}.");
        }

        if (parsed.GetValue(MaxPrompts) is < 1)
        {
            throw new UsageException($"--max-prompts must be at least 1, got {parsed.GetValue(MaxPrompts)}.");
        }

        return files;
    }

    public MissingPromptPolicy MissingPolicy(ParseResult parsed) => EnumIds.Parse<MissingPromptPolicy>(parsed.GetValue(Missing)!);

    /// <summary>The distance provider the options ask for, with the fingerprint cache (null: none).</summary>
    public DistanceProviders CreateProvider(ParseResult parsed, IFingerprintCache? cache) => DistanceProviders.Create(
        parsed.GetValue(Distance)!,
        new TokenDistanceOptions
        {
            Distance = EnumIds.Parse<TokenDistanceKind>(parsed.GetValue(TokenDistance)!),
            Length = parsed.GetValue(Tokens),
            Tokenizer = EnumIds.Parse<TokenizerKind>(parsed.GetValue(Tokenizer)!),
        },
        parsed.GetValue(MaxTokens),
        cache);
}
