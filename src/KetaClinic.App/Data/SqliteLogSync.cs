using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace KetaClinic.App.Data;

/// <summary>
/// Makes a SQLite writer's commits durable beside the writer rather than inside each commit: the writer commits with
/// synchronous=NORMAL (the commit writes the log but does not wait for the disk) and asks <see cref="DurableAsync"/>
/// before it acknowledges anything; that task completes once a sync of the write-ahead log that began after the
/// call has returned. Meanwhile the writer files its next batch, and one sync covers every commit made before it.
/// </summary>
/// <remarks>
/// Why this is as safe as synchronous=FULL for what is acknowledged: SQLite in WAL mode writes each commit's pages and
/// its commit frame to the log file; FULL differs from NORMAL only in syncing the log at the end of each commit. An
/// fsync of the same file (from any descriptor: the kernel flushes the file, not the descriptor) after the commit has
/// returned therefore makes that commit, and all before it, survive a power loss. On Linux the sync is an fdatasync
/// (<see cref="FileSync.DataToDisk"/>), which flushes the data and the size needed to read it back. Checkpoints sync the log before
/// copying it into the database and sync the database afterwards, in either mode, so a log restarted from its first
/// frame never overwrites anything not yet in the database file.
///
/// The log must stay the same file while its descriptor is held: SQLite deletes it when the last connection to the
/// database closes, so this class keeps a connection of its own open (with a read done on it, so it holds its shared
/// lock on the database) before it opens the log. The descriptor is kept, not reopened for each sync, so that a
/// write-back error the kernel reports after the writer's write is seen by this descriptor's fsync.
///
/// A failed sync is final, as in PostgreSQL: after a write-back error the kernel may drop the failed pages and a later
/// fsync can succeed without them, so nothing waiting then or later is reported durable. The waiting commits are
/// not acknowledged (their senders keep sending), <see cref="Failure"/> says why, and the health check reports it
/// until the app is restarted and SQLite recovers the database from what is on disk.
/// </remarks>
public sealed class SqliteLogSync : IDisposable
{
    private readonly string _connectionString;
    private readonly string _databasePath;
    private readonly CommitWaiters _waiters = new();
    private readonly Thread _thread;
    private SqliteConnection? _holder;
    private SafeFileHandle? _log;
    private long _syncs;
    private volatile Exception? _failure;

    /// <summary>What flushes the log file to disk (<see cref="FileSync.DataToDisk"/>; tests put a gate in front of it).</summary>
    internal Action<SafeFileHandle> Flush { get; init; } = FileSync.DataToDisk;

    public SqliteLogSync(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _connectionString = connectionString;
        _databasePath = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite log sync" };
        _thread.Start();
    }

    /// <summary>How many syncs ran (each covers every request made before it began).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Why the log could not be synced, once that has happened (nothing is reported durable after it).</summary>
    public Exception? Failure => _failure;

    /// <summary>Completes once every commit made before this call is on disk; fails if the log could not be synced.</summary>
    public Task DurableAsync() => _waiters.Add(this);

    private void Run()
    {
        while (true)
        {
            _waiters.Wait();
            if (_waiters.Take() is not { } taken)
            {
                return;
            }
            if (taken.Count == 0)
            {
                continue;
            }

            if (_failure is null)
            {
                try
                {
                    Flush(LogHandle());
                    Interlocked.Increment(ref _syncs);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException or InvalidOperationException)
                {
                    _failure = new IOException($"The SQLite log of {_databasePath} could not be synced to disk: {ex.Message}", ex);
                    Close();
                }
            }
            CommitWaiters.Release(taken, _failure);
        }
    }

    /// <summary>The log's descriptor, opened after this class's own connection holds the database open.</summary>
    private SafeFileHandle LogHandle()
    {
        if (_log is { } open)
        {
            return open;
        }
        if (_holder is null)
        {
            var holder = new SqliteConnection(_connectionString);
            try
            {
                holder.Open();
                using var read = holder.CreateCommand();
                read.CommandText = "SELECT count(*) FROM sqlite_master";
                read.ExecuteScalar();
            }
            catch
            {
                holder.Dispose();
                throw;
            }
            _holder = holder;
        }
        // The writer has committed before asking, so the log exists (the writer uses this class only in WAL mode).
        return _log = File.OpenHandle(_databasePath + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    private void Close()
    {
        _log?.Dispose();
        _log = null;
        _holder?.Dispose();
        _holder = null;
    }

    /// <summary>Stops after the last requested sync has run.</summary>
    public void Dispose()
    {
        if (!_waiters.Stop())
        {
            return;
        }
        _thread.Join();
        Close();
        _waiters.Dispose();
    }
}
