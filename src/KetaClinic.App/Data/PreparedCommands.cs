using System.Data.Common;

namespace KetaClinic.App.Data;

/// <summary>
/// Commands kept prepared on one open connection, for a writer that runs the same statements batch after batch (the
/// HL7 intake): SQLite then compiles each statement once instead of once per batch, and PostgreSQL plans it once when
/// the caller prepares it. Statements bound directly through SQLite (<see cref="SqliteStatement"/>) are kept the same
/// way. They belong to the connection they were made on; asked for another connection, the cache lets the old ones go
/// first. Not thread-safe:
/// one writer owns it, and disposes it with its connection.
/// </summary>
public sealed class PreparedCommands : IDisposable
{
    /// <summary>Most statements kept; past it the cache starts again (a writer's statements are a handful).</summary>
    public const int MaxCommands = 32;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SQLitePCL.sqlite3_stmt> _sqliteStatements = new(StringComparer.Ordinal);
    private DbConnection? _connection;

    /// <summary>How many commands and SQLite statements are kept now.</summary>
    public int Count => _commands.Count + _sqliteStatements.Count;

    /// <summary>
    /// A statement compiled by SQLite itself on <paramref name="connection"/>, for a writer that binds and steps it
    /// directly (see <see cref="RowInserts"/>); kept and finalized like the commands.
    /// </summary>
    public SQLitePCL.sqlite3_stmt SqliteStatement(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        if (!ReferenceEquals(connection, _connection) || Count >= MaxCommands && !_sqliteStatements.ContainsKey(sql))
        {
            Clear();
            _connection = connection;
        }

        if (!_sqliteStatements.TryGetValue(sql, out var statement))
        {
            statement = PrepareSqlite(connection, sql);
            _sqliteStatements[sql] = statement;
        }

        return statement;
    }

    /// <summary>Compiles <paramref name="sql"/> on the connection's SQLite handle; the caller finalizes it (Dispose).</summary>
    public static SQLitePCL.sqlite3_stmt PrepareSqlite(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement);
        if (result != SQLitePCL.raw.SQLITE_OK)
        {
            statement?.Dispose();
            Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(result, connection.Handle);
        }

        return statement ?? throw new InvalidOperationException($"SQLite compiled no statement from: {sql}");
    }

    /// <summary>
    /// The command for <paramref name="sql"/> on <paramref name="connection"/>, in <paramref name="transaction"/>;
    /// <paramref name="isNew"/> says it was just made (no parameters, not prepared yet).
    /// </summary>
    public DbCommand For(DbConnection connection, DbTransaction? transaction, string sql, out bool isNew)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        if (!ReferenceEquals(connection, _connection) || Count >= MaxCommands && !_commands.ContainsKey(sql))
        {
            Clear();
            _connection = connection;
        }

        isNew = !_commands.TryGetValue(sql, out var command);
        if (command is null)
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// The command for <paramref name="sql"/>: the one kept in <paramref name="cache"/>, or, without a cache, a command
    /// of its own that goes with the lease.
    /// </summary>
    public static Lease Use(PreparedCommands? cache, DbConnection connection, DbTransaction? transaction, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (cache is not null)
        {
            var kept = cache.For(connection, transaction, sql, out var isNew);
            return new Lease(kept, isNew, owned: false);
        }

        var own = connection.CreateCommand();
        own.CommandText = sql;
        own.Transaction = transaction;
        return new Lease(own, isNew: true, owned: true);
    }

    /// <summary>A command in use: <see cref="IsNew"/> says it has no parameters yet; disposing lets go of a command of its own.</summary>
    public sealed class Lease(DbCommand command, bool isNew, bool owned) : IAsyncDisposable
    {
        public DbCommand Command { get; } = command;

        public bool IsNew { get; } = isNew;

        public ValueTask DisposeAsync() => owned ? Command.DisposeAsync() : ValueTask.CompletedTask;
    }

    private void Clear()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        foreach (var statement in _sqliteStatements.Values)
        {
            statement.Dispose();
        }

        _sqliteStatements.Clear();
        _connection = null;
    }

    public void Dispose() => Clear();
}
