using System.Collections.Concurrent;
using ProvenanceSet.Data;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Cache.Tests;

/// <summary>A fresh folder per test, removed afterwards (never the user's cache folder).</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mps-cache-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>An in-memory cache that counts its calls and can be told to answer with garbage.</summary>
internal sealed class MemoryCache : IFingerprintCache
{
    public ConcurrentDictionary<string, byte[]> Entries { get; } = new();

    public int Gets;
    public int Puts;
    public bool AnswerGarbage { get; init; }

    /// <summary>Answers one value fewer than it was asked for (a broken cache).</summary>
    public bool AnswerShort { get; init; }

    public Task<IReadOnlyList<byte[]?>> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Gets);
        var values = keys.Select(k => AnswerGarbage ? [1, 2, 3] : Entries.GetValueOrDefault(Convert.ToHexString(k)));
        return Task.FromResult<IReadOnlyList<byte[]?>>([.. AnswerShort ? values.Skip(1) : values]);
    }

    public Task PutAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> entries, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Puts);
        foreach (var (key, value) in entries)
        {
            Entries[Convert.ToHexString(key)] = value;
        }

        return Task.CompletedTask;
    }
}

/// <summary>Fingerprint = the output's length and first character; records every text it fingerprints. Cacheable only when given settings.</summary>
internal sealed class CountingProvider(string? settings) : FingerprintDistanceProvider<double>
{
    public ConcurrentBag<string> Seen { get; } = [];

    public override string Name => "counting";

    protected override int BatchSize => 4;

    protected override Task<IReadOnlyList<double>> FingerprintAsync(IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken)
    {
        foreach (var o in outputs)
        {
            Seen.Add(o.Output);
        }

        return Task.FromResult<IReadOnlyList<double>>([.. outputs.Select(o => o.Output.Length + (o.Output.Length > 0 ? o.Output[0] / 1000.0 : 0))]);
    }

    protected override double Distance(double a, double b) => Math.Abs(a - b);

    protected override string? FingerprintSettings(IReadOnlyList<ModelOutput> firstBatch) => settings;

    protected override byte[] SerializeFingerprint(double fingerprint) => BitConverter.GetBytes(fingerprint);

    protected override bool TryDeserializeFingerprint(byte[] bytes, out double fingerprint)
    {
        fingerprint = bytes.Length == 8 ? BitConverter.ToDouble(bytes) : 0;
        return bytes.Length == 8;
    }
}

internal static class Pools
{
    /// <summary>Target t, candidates a, b, c over 6 prompts; a copies t word for word on every prompt, b on half of them.</summary>
    public static List<ModelOutput> Sharing()
    {
        var list = new List<ModelOutput>();
        for (int p = 0; p < 6; p++)
        {
            string target = $"Answer number {p}: the river is green and the stone is small.";
            list.Add(new ModelOutput("t", $"p{p}", target));
            list.Add(new ModelOutput("a", $"p{p}", target));
            list.Add(new ModelOutput("b", $"p{p}", p % 2 == 0 ? target : $"Something else entirely, about item {p}."));
            list.Add(new ModelOutput("c", $"p{p}", $"Unrelated words {p} {p * p} for the third candidate, much longer than the rest."));
        }

        return list;
    }

    public static int DistinctTexts(IEnumerable<ModelOutput> outputs) => outputs.Select(o => o.Output).Distinct(StringComparer.Ordinal).Count();

    public static string Csv(DistanceMatrix matrix)
    {
        var writer = new StringWriter();
        matrix.WriteCsv(writer);
        return writer.ToString();
    }
}
