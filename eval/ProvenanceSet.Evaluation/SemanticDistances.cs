using ModelProvenance.Outputs;

namespace ModelProvenance.Evaluation;

/// <summary>The semantic distance of the evaluation (the offline MiniLM default, when it is part of the build).</summary>
internal static class SemanticDistances
{
    public static Func<IDistanceProvider>? Factory() => null;
}
