using System.Data.Common;
using Npgsql;

namespace KetaClinic.App.Data;

/// <summary>
/// Makes PostgreSQL commits made with synchronous_commit=off durable beside the writer that made them: the writer
/// commits without waiting for the server to flush its write-ahead log and asks <see cref="DurableAsync"/> before it
/// acknowledges anything; that task completes once a commit that waited for the flush, begun after the call, has
/// returned. Meanwhile the writer files its next batch, and one flush covers every commit made before it.
/// </summary>
/// <remarks>
/// The flush is a transaction of its own on its own connection, committed with synchronous_commit=on: it takes a
/// transaction id (<c>pg_current_xact_id()</c>), so its commit writes a commit record and waits until the log is on
/// disk up to that record, which lies after every commit that had returned before it began. A commit made without
/// waiting is lost only if the server stops before such a flush, and then nothing of it was acknowledged. A flush that
/// fails (the connection or the server went away) acknowledges nothing that waited for it; the next one starts on a
/// new connection.
/// </remarks>
public sealed class PostgresWalFlush : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly CommitWaiters _waiters = new();
    private readonly Task _loop;
    private NpgsqlConnection? _connection;
    private long _flushes;

    /// <summary>What forces the flush on the connection (tests put a gate in front of it).</summary>
    internal Func<NpgsqlConnection, CancellationToken, Task> Flush { get; init; } = FlushAsync;

    public PostgresWalFlush(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _connectionString = connectionString;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many flushes ran (each covers every request made before it began).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Completes once every commit made before this call is on disk; fails if the flush failed.</summary>
    public Task DurableAsync() => _waiters.Add(this);

    /// <summary>The flush: a transaction that takes an id commits with synchronous_commit=on, so it waits for the log.</summary>
    internal static async Task FlushAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_current_xact_id()";
        await command.ExecuteScalarAsync(ct);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _waiters.WaitAsync();
            if (_waiters.Take() is not { } taken)
            {
                return;
            }
            if (taken.Count == 0)
            {
                continue;
            }

            Exception? failure = null;
            try
            {
                if (_connection is null)
                {
                    var connection = new NpgsqlConnection(_connectionString);
                    await connection.OpenAsync(CancellationToken.None);
                    await using (var on = connection.CreateCommand())
                    {
                        on.CommandText = "SET synchronous_commit = on";
                        await on.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                    _connection = connection;
                }
                await Flush(_connection, CancellationToken.None);
                Interlocked.Increment(ref _flushes);
            }
            catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException or TimeoutException)
            {
                failure = new IOException($"PostgreSQL's write-ahead log could not be flushed: {ex.Message}", ex);
                if (_connection is { } broken)
                {
                    _connection = null;
                    await broken.DisposeAsync();
                }
            }
            CommitWaiters.Release(taken, failure);
        }
    }

    /// <summary>Stops after the last requested flush has run.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_waiters.Stop())
        {
            return;
        }
        await _loop;
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
        _waiters.Dispose();
    }
}
