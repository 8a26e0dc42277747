using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Cache;

/// <summary>
/// A fingerprint cache in one SQLite file, <see cref="FileName"/> in a folder (by default
/// <see cref="DefaultFolder"/>). Several processes may use one folder at once (write-ahead log,
/// waits on a busy file). Each entry records when it was last used; when the used part of the file
/// grows past <see cref="MaxBytes"/>, the least recently used entries are evicted and the file shrinks.
/// </summary>
/// <remarks>
/// The cache never stops a computation and never changes its result: a file that is not this
/// cache (another program's database, a newer or older layout, not SQLite at all, truncated or
/// damaged) is renamed with a <c>.damaged-…</c> suffix and a new cache is started; a value whose
/// checksum (kept beside it) no longer matches is a miss; any other
/// trouble (a read-only folder, a disk full) turns the cache off for the rest of the run. Each
/// such event adds a line to <see cref="Diagnostics"/>. Thread-safe; dispose it to close the file.
/// </remarks>
public sealed class SqliteFingerprintCache : IFingerprintCache, IDisposable
{
    /// <summary>The name of the cache file in its folder: <c>fingerprints.db</c>.</summary>
    public const string FileName = "fingerprints.db";

    /// <summary>The default size cap: 1 GiB.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    // "MPSF" in the header's application id, and this layout's version in its user version: what tells our file from any other.
    private const int ApplicationId = 0x4D505346;
    private const int SchemaVersion = 1;
    private const int SqliteCorrupt = 11, SqliteNotADatabase = 26;

    private readonly Lock _gate = new();
    private readonly List<string> _diagnostics = [];
    private SqliteConnection? _connection;
    private bool _suspectTruncated;

    /// <summary>Opens (or creates) the cache in <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder; null for <see cref="DefaultFolder"/>. Created when missing.</param>
    /// <param name="maxBytes">The size cap in bytes (see <see cref="MaxBytes"/>); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is below 1.</exception>
    public SqliteFingerprintCache(string? folder = null, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        Folder = Path.GetFullPath(folder ?? DefaultFolder);
        FilePath = Path.Combine(Folder, FileName);
        MaxBytes = maxBytes;
        lock (_gate)
        {
            _connection = Open();
        }
    }

    /// <summary>
    /// Where the cache lives unless told otherwise: on Linux <c>$XDG_CACHE_HOME/provenanceset</c>,
    /// or <c>~/.cache/provenanceset</c> when that variable is unset or not an absolute path; on other
    /// systems <c>provenanceset</c> in the local application data folder.
    /// </summary>
    public static string DefaultFolder
    {
        get
        {
            if (OperatingSystem.IsLinux())
            {
                string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                string root = !string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg)
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                return Path.Combine(root, "provenanceset");
            }

            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "provenanceset");
        }
    }

    /// <summary>The cache's folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>The cache file (absolute).</summary>
    public string FilePath { get; }

    /// <summary>
    /// The size cap in bytes: after each store, while the pages in use exceed it, the least
    /// recently used entries are evicted (down to nine tenths of the cap), and the freed pages are
    /// returned, so the file stays under the cap once the last process has closed it.
    /// </summary>
    public long MaxBytes { get; }

    /// <summary>False once trouble has turned the cache off for this run (see <see cref="Diagnostics"/>).</summary>
    public bool IsEnabled
    {
        get
        {
            lock (_gate)
            {
                return _connection is not null;
            }
        }
    }

    /// <summary>What went wrong with the cache file and what was done about it, one line per event; empty normally.</summary>
    public IReadOnlyList<string> Diagnostics
    {
        get
        {
            lock (_gate)
            {
                return [.. _diagnostics];
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]?>> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var values = new byte[]?[keys.Count];
        int failedChecks = 0;
        lock (_gate)
        {
            Run("reading", connection =>
            {
                Array.Clear(values);
                failedChecks = 0;
                using var transaction = connection.BeginTransaction();
                using var select = Command(connection, "SELECT value, checksum FROM fingerprints WHERE key = $key", "$key");
                using var touch = Command(connection, "UPDATE fingerprints SET last_used = $now WHERE key = $key", "$key", "$now");
                touch.Parameters["$now"].Value = Now();
                for (int i = 0; i < keys.Count; i++)
                {
                    select.Parameters["$key"].Value = keys[i];
                    byte[]? value = null;
                    long checksum = 0;
                    using (var reader = select.ExecuteReader())
                    {
                        if (reader.Read() && !reader.IsDBNull(0))
                        {
                            value = (byte[])reader.GetValue(0);
                            checksum = reader.GetInt64(1);
                        }
                    }

                    if (value is null)
                    {
                        continue;
                    }

                    if (Checksum(keys[i], value) != checksum)
                    {
                        // Damage SQLite cannot see (inside a value): a miss, and the fresh value will replace it.
                        failedChecks++;
                        continue;
                    }

                    values[i] = value;
                    touch.Parameters["$key"].Value = keys[i];
                    touch.ExecuteNonQuery();
                }

                transaction.Commit();
            });
            if (failedChecks > 0)
            {
                _diagnostics.Add($"The fingerprint cache {FilePath} had {failedChecks} damaged entr{(failedChecks == 1 ? "y" : "ies")} (checksum mismatch); they were recomputed. Results are not affected.");
            }
        }

        return Task.FromResult<IReadOnlyList<byte[]?>>(values);
    }

    /// <inheritdoc />
    public Task PutAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            Run("writing", connection =>
            {
                using var transaction = connection.BeginTransaction();
                using var insert = Command(connection,
                    "INSERT INTO fingerprints (key, value, checksum, last_used) VALUES ($key, $value, $checksum, $now) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, checksum = excluded.checksum, last_used = excluded.last_used",
                    "$key", "$value", "$checksum", "$now");
                insert.Parameters["$now"].Value = Now();
                foreach (var (key, value) in entries)
                {
                    insert.Parameters["$key"].Value = key;
                    insert.Parameters["$value"].Value = value;
                    insert.Parameters["$checksum"].Value = Checksum(key, value);
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                Evict(connection);
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the file (the last process to close it folds the write-ahead log back in).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>Milliseconds since 1970: the clock of last use (ties only reorder entries used together).</summary>
    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The first 8 bytes of SHA-256(key, value): a stored value is used only when it still matches.</summary>
    private static long Checksum(byte[] key, byte[] value)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(key);
        hash.AppendData(value);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static bool IsDamage(SqliteException e) => e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase;

    /// <summary>
    /// Runs an operation on the open cache. Damage found on the way sets the file aside, starts a
    /// new one and runs the operation again there; any other failure turns the cache off.
    /// </summary>
    private void Run(string doing, Action<SqliteConnection> operation)
    {
        for (int attempt = 0; attempt < 2 && _connection is { } connection; attempt++)
        {
            try
            {
                operation(connection);
                return;
            }
            catch (SqliteException e) when (IsDamage(e) && attempt == 0)
            {
                connection.Dispose();
                _connection = null;
                if (MoveAside($"was found damaged while {doing} ({e.Message})"))
                {
                    _connection = Open();
                }
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                TurnOff($"failed while {doing} ({e.Message})");
                return;
            }
        }
    }

    private void TurnOff(string problem)
    {
        _connection?.Dispose();
        _connection = null;
        _diagnostics.Add($"The fingerprint cache {FilePath} {problem}; it is not used for the rest of this run. Results are not affected.");
    }

    /// <summary>Opens the file, setting aside (once) one that is not a sound cache of this layout; null when the cache is off.</summary>
    private SqliteConnection? Open()
    {
        for (int attempt = 0; ; attempt++)
        {
            SqliteConnection? connection = null;
            string? problem;
            try
            {
                Directory.CreateDirectory(Folder);
                problem = CheckHeader();
                if (problem is null)
                {
                    connection = new SqliteConnection(new SqliteConnectionStringBuilder
                    {
                        DataSource = FilePath,
                        Mode = SqliteOpenMode.ReadWriteCreate,
                        // A pooled connection would keep the file open after Dispose (and a moved-aside file with it).
                        Pooling = false,
                        DefaultTimeout = 60,
                    }.ToString());
                    connection.Open();
                    problem = Initialize(connection);
                    if (problem is null)
                    {
                        return connection;
                    }
                }
            }
            catch (SqliteException e) when (IsDamage(e))
            {
                problem = _suspectTruncated
                    ? $"is truncated: its header promises more pages than it has ({e.Message})"
                    : $"is not a readable fingerprint cache ({e.Message})";
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                connection?.Dispose();
                TurnOff($"could not be opened ({e.Message})");
                return null;
            }

            connection?.Dispose();
            if (attempt > 0)
            {
                TurnOff($"{problem}, even after a new file was started");
                return null;
            }

            if (!MoveAside(problem))
            {
                return null;
            }
        }
    }

    /// <summary>Sets up a new file, or checks that an existing one is this cache; the problem, or null when it is fine.</summary>
    private string? Initialize(SqliteConnection connection)
    {
        // Waits for other processes instead of failing at once (creation, eviction, checkpoints).
        Execute(connection, "PRAGMA busy_timeout = 60000");
        // Read before anything is written: a foreign database is set aside as it was.
        long application, version, objects;
        using (var snapshot = connection.BeginTransaction(deferred: true))
        {
            // One snapshot: read one by one, the three could straddle another process creating the cache.
            application = Scalar(connection, "PRAGMA application_id");
            version = Scalar(connection, "PRAGMA user_version");
            objects = Scalar(connection, "SELECT count(*) FROM sqlite_master");
            snapshot.Commit();
        }

        bool ours = application == ApplicationId && version == SchemaVersion;
        if (!ours && (application != 0 || version != 0 || objects != 0))
        {
            return application == ApplicationId
                ? $"has layout version {version}, not {SchemaVersion}"
                : "is not a ProvenanceSet fingerprint cache";
        }

        if (!ours)
        {
            // Only a database without tables can take incremental vacuum, which lets eviction shrink the file.
            Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
        }

        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "PRAGMA synchronous = NORMAL");
        if (!ours)
        {
            // Another process may be creating it too: the write lock orders the two, and the second finds it done.
            using var transaction = connection.BeginTransaction();
            Execute(connection,
                "CREATE TABLE IF NOT EXISTS fingerprints (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL, checksum INTEGER NOT NULL, last_used INTEGER NOT NULL);"
                + "CREATE INDEX IF NOT EXISTS fingerprints_last_used ON fingerprints (last_used);"
                + $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {SchemaVersion};");
            transaction.Commit();
        }
        else if (_suspectTruncated)
        {
            // The header says the file is longer than it is: make sure before setting it aside.
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(1)";
            if (command.ExecuteScalar() is not "ok")
            {
                return "is truncated: its header promises more pages than it has";
            }
        }

        return null;
    }

    /// <summary>Checks the first 100 bytes of an existing file before SQLite sees it; the problem, or null.</summary>
    private string? CheckHeader()
    {
        _suspectTruncated = false;
        var file = new FileInfo(FilePath);
        if (!file.Exists || file.Length == 0)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[100];
        int read;
        using (var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (!header[..Math.Min(read, 16)].SequenceEqual("SQLite format 3\0"u8[..Math.Min(read, 16)]))
        {
            return "is not an SQLite database";
        }

        if (read < header.Length)
        {
            return "is truncated (shorter than a database header)";
        }

        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        long pageSizeBytes = pageSize == 1 ? 65536 : pageSize;
        uint changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        uint pages = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        uint validFor = BinaryPrimitives.ReadUInt32BigEndian(header[92..]);
        // Only trusted when no write-ahead log is open: while one is, the file may lag behind its header.
        var wal = new FileInfo(FilePath + "-wal");
        _suspectTruncated = validFor == changeCounter && pages * pageSizeBytes > file.Length && (!wal.Exists || wal.Length == 0);
        return null;
    }

    /// <summary>Renames the file (and its log files) with a <c>.damaged-…</c> suffix and says so; false when that failed (the cache is then off).</summary>
    private bool MoveAside(string? problem)
    {
        string aside = $"{FilePath}.damaged-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
        try
        {
            File.Move(FilePath, aside);
            foreach (string suffix in new[] { "-wal", "-shm", "-journal" })
            {
                if (File.Exists(FilePath + suffix))
                {
                    // Keeps a log beside the file it belongs to, so no new file ever replays an old log.
                    File.Move(FilePath + suffix, aside + suffix);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TurnOff($"{problem}, and could not be moved aside ({e.Message})");
            return false;
        }

        _diagnostics.Add($"The fingerprint cache {FilePath} {problem}; it was moved aside to {Path.GetFileName(aside)} and a new cache was started. Results are not affected.");
        return true;
    }

    /// <summary>
    /// While the pages in use exceed the cap: evicts the least recently used share of the entries
    /// that is over nine tenths of the cap (so the next few stores do not evict again) and returns
    /// the freed pages, compacting the file when deleted entries left pages half empty.
    /// </summary>
    private void Evict(SqliteConnection connection)
    {
        long pageSize = Scalar(connection, "PRAGMA page_size");
        long Used() => (Scalar(connection, "PRAGMA page_count") - Scalar(connection, "PRAGMA freelist_count")) * pageSize;
        long goal = MaxBytes - (MaxBytes / 10);
        for (int round = 0; round < 8; round++)
        {
            long used = Used();
            if (used <= MaxBytes)
            {
                return;
            }

            long count = Scalar(connection, "SELECT count(*) FROM fingerprints");
            if (count == 0)
            {
                return;
            }

            using (var transaction = connection.BeginTransaction())
            {
                using var delete = Command(connection,
                    "DELETE FROM fingerprints WHERE key IN (SELECT key FROM fingerprints ORDER BY last_used, key LIMIT $count)", "$count");
                // Entries are about the same size: remove the share over the goal (at least one).
                delete.Parameters["$count"].Value = Math.Clamp((long)Math.Ceiling(count * (double)(used - goal) / used), 1, count);
                delete.ExecuteNonQuery();
                transaction.Commit();
            }

            Execute(connection, "PRAGMA incremental_vacuum");
            if (Used() > MaxBytes)
            {
                // Entries are spread over the pages in key order, so deleting old ones frees few whole pages: rebuild compactly.
                Execute(connection, "VACUUM");
            }
        }
    }
}
