using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace ProvenanceSet.Cache.Tests;

/// <summary>The SQLite file: round trips, damaged and foreign files, eviction, the default folder, concurrent use.</summary>
public class SqliteFingerprintCacheTests
{
    private static byte[] Key(int i) => SHA256.HashData(BitConverter.GetBytes(i));

    private static byte[] Value(int i, int size = 100) => [.. Enumerable.Range(0, size).Select(j => (byte)(i + j))];

    private static KeyValuePair<byte[], byte[]>[] Entries(int from, int count, int size = 100) =>
        [.. Enumerable.Range(from, count).Select(i => new KeyValuePair<byte[], byte[]>(Key(i), Value(i, size)))];

    private static void Fill(string folder, int count)
    {
        using var cache = new SqliteFingerprintCache(folder);
        cache.PutAsync(Entries(0, count)).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Values_come_back_under_their_keys_and_misses_are_null()
    {
        using var folder = new TempFolder();
        using (var cache = new SqliteFingerprintCache(folder.Path))
        {
            await cache.PutAsync(Entries(0, 10));
        }

        using var reopened = new SqliteFingerprintCache(folder.Path);
        var values = await reopened.GetAsync([Key(3), Key(99), Key(0)]);
        Assert.Equal(Value(3), values[0]);
        Assert.Null(values[1]);
        Assert.Equal(Value(0), values[2]);
        Assert.Empty(reopened.Diagnostics);
        Assert.True(reopened.IsEnabled);
    }

    [Fact]
    public async Task An_empty_file_is_taken_as_a_new_cache_without_a_word()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(Path.Combine(folder.Path, SqliteFingerprintCache.FileName), []);
        using var cache = new SqliteFingerprintCache(folder.Path);
        await cache.PutAsync(Entries(0, 1));
        Assert.Equal(Value(0), (await cache.GetAsync([Key(0)]))[0]);
        Assert.Empty(cache.Diagnostics);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("short")]
    [InlineData("foreign")]
    [InlineData("newer")]
    public async Task A_file_that_is_not_this_cache_is_moved_aside_and_a_new_one_started(string kind)
    {
        using var folder = new TempFolder();
        string file = Path.Combine(folder.Path, SqliteFingerprintCache.FileName);
        switch (kind)
        {
            case "garbage":
                File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(10_000));
                break;
            case "short":
                File.WriteAllBytes(file, "SQLite format 3\0"u8.ToArray());
                break;
            case "foreign":
                using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('x');";
                    command.ExecuteNonQuery();
                }

                break;
            default:
                Fill(folder.Path, 3);
                using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA user_version = 2;";
                    command.ExecuteNonQuery();
                }

                break;
        }

        byte[] before = File.ReadAllBytes(file);
        using var cache = new SqliteFingerprintCache(folder.Path);
        var diagnostic = Assert.Single(cache.Diagnostics);
        Assert.Contains("moved aside", diagnostic, StringComparison.Ordinal);
        string aside = Assert.Single(Directory.GetFiles(folder.Path, SqliteFingerprintCache.FileName + ".damaged-*"));
        Assert.Equal(before, File.ReadAllBytes(aside));
        Assert.Contains(Path.GetFileName(aside), diagnostic, StringComparison.Ordinal);
        // The new cache is empty (nothing of the old file is trusted) and works.
        Assert.Null((await cache.GetAsync([Key(0)]))[0]);
        await cache.PutAsync(Entries(0, 2));
        Assert.Equal(Value(1), (await cache.GetAsync([Key(1)]))[0]);
    }

    [Fact]
    public async Task A_truncated_file_is_moved_aside_and_never_answers_wrongly()
    {
        using var folder = new TempFolder();
        Fill(folder.Path, 3000);
        string file = Path.Combine(folder.Path, SqliteFingerprintCache.FileName);
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        using var cache = new SqliteFingerprintCache(folder.Path);
        // Found on opening (the header promises more pages than the file has), before any lookup.
        Assert.Contains(cache.Diagnostics, d => d.Contains("truncated", StringComparison.Ordinal));
        var values = await cache.GetAsync([.. Enumerable.Range(0, 3000).Select(Key)]);
        for (int i = 0; i < values.Count; i++)
        {
            Assert.True(values[i] is null || values[i]!.SequenceEqual(Value(i)), $"entry {i} came back wrong");
        }

        Assert.Contains(cache.Diagnostics, d => d.Contains("moved aside", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(folder.Path, SqliteFingerprintCache.FileName + ".damaged-*"));
        await cache.PutAsync(Entries(0, 5));
        Assert.Equal(Value(4), (await cache.GetAsync([Key(4)]))[0]);
    }

    [Fact]
    public async Task Bytes_overwritten_inside_the_file_never_come_back_as_a_value()
    {
        using var folder = new TempFolder();
        Fill(folder.Path, 3000);
        string file = Path.Combine(folder.Path, SqliteFingerprintCache.FileName);
        using (var stream = new FileStream(file, FileMode.Open))
        {
            // Every 7th byte of the second half: the header stays sound, values and pages do not.
            for (long position = stream.Length / 2; position < stream.Length; position += 7)
            {
                stream.Position = position;
                stream.WriteByte(0x5A);
            }
        }

        using var cache = new SqliteFingerprintCache(folder.Path);
        var values = await cache.GetAsync([.. Enumerable.Range(0, 3000).Select(Key)]);
        for (int i = 0; i < values.Count; i++)
        {
            Assert.True(values[i] is null || values[i]!.SequenceEqual(Value(i)), $"entry {i} came back wrong");
        }

        Assert.NotEmpty(cache.Diagnostics);
        await cache.PutAsync(Entries(0, 5));
        Assert.Equal(Value(4), (await cache.GetAsync([Key(4)]))[0]);
    }

    [Fact]
    public async Task A_value_changed_behind_the_caches_back_is_a_miss_not_an_answer()
    {
        using var folder = new TempFolder();
        Fill(folder.Path, 3);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, SqliteFingerprintCache.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // A flipped bit inside a value: a sound database, a wrong fingerprint.
            command.CommandText = "UPDATE fingerprints SET value = zeroblob(100) WHERE key = $key";
            command.Parameters.AddWithValue("$key", Key(1));
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        using var cache = new SqliteFingerprintCache(folder.Path);
        var values = await cache.GetAsync([Key(0), Key(1), Key(2)]);
        Assert.Equal(Value(0), values[0]);
        Assert.Null(values[1]);
        Assert.Equal(Value(2), values[2]);
        Assert.Contains(cache.Diagnostics, d => d.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eviction_keeps_the_file_under_the_cap_and_drops_the_least_recently_used_first()
    {
        using var folder = new TempFolder();
        const long cap = 96 * 1024;
        using (var cache = new SqliteFingerprintCache(folder.Path, cap))
        {
            await cache.PutAsync(Entries(0, 50));
            for (int batch = 1; batch < 40; batch++)
            {
                // Entry 0 is used all the time, entries 1-49 never again: they must go first.
                Assert.NotNull((await cache.GetAsync([Key(0)]))[0]);
                await cache.PutAsync(Entries(batch * 50, 50));
            }

            var all = await cache.GetAsync([.. Enumerable.Range(0, 2000).Select(Key)]);
            Assert.NotNull(all[0]);
            Assert.Null(all[1]);
            Assert.NotNull(all[1999]);
            int kept = all.Count(v => v is not null);
            Assert.InRange(kept, 50, 1999);
            Assert.Empty(cache.Diagnostics);
        }

        Assert.InRange(new FileInfo(Path.Combine(folder.Path, SqliteFingerprintCache.FileName)).Length, 1, cap);
    }

    [Fact]
    public void The_default_folder_follows_XDG_CACHE_HOME_on_Linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string? saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/some/cache");
            Assert.Equal("/some/cache/provenanceset", SqliteFingerprintCache.DefaultFolder);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "relative/is/ignored");
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "provenanceset"), SqliteFingerprintCache.DefaultFolder);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "provenanceset"), SqliteFingerprintCache.DefaultFolder);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }

    [Fact]
    public async Task Two_caches_on_one_folder_write_and_read_at_once()
    {
        using var folder = new TempFolder();
        using var first = new SqliteFingerprintCache(folder.Path);
        using var second = new SqliteFingerprintCache(folder.Path);
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    await first.PutAsync(Entries(i * 10, 10));
                    await first.GetAsync([Key(i)]);
                }
            }),
            Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    await second.PutAsync(Entries(1000 + (i * 10), 10));
                    await second.GetAsync([Key(1000 + i)]);
                }
            }));
        var fromFirst = await first.GetAsync([Key(1499), Key(499)]);
        Assert.Equal(Value(1499), fromFirst[0]);
        Assert.Equal(Value(499), fromFirst[1]);
        Assert.Empty(first.Diagnostics);
        Assert.Empty(second.Diagnostics);
    }
}
