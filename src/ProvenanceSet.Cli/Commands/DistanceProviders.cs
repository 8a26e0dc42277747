using ModelProvenance.Fingerprints;
using ModelProvenance.Outputs;

namespace ModelProvenance.Cli.Commands;

/// <summary>The distance provider a command asked for, with whatever it needs disposed afterwards.</summary>
internal sealed class DistanceProviders : IDisposable
{
    private readonly IDisposable? _owned;

    private DistanceProviders(IDistanceProvider provider, IDisposable? owned)
    {
        Provider = provider;
        _owned = owned;
    }

    public IDistanceProvider Provider { get; }

    public static DistanceProviders Create(string distance, TokenDistanceOptions tokenOptions, int maxTokens)
    {
        if (distance == "semantic")
        {
            throw new UsageException("--distance semantic is not available yet.");
        }

        _ = maxTokens;
        return new DistanceProviders(new TokenDistanceProvider(tokenOptions), null);
    }

    public void Dispose() => _owned?.Dispose();
}
