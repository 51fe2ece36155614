using System.Data.Common;

namespace KetaClinic.App.Data;

/// <summary>
/// Commands kept prepared on one open connection, for a writer that runs the same statements batch after batch (the
/// HL7 intake): SQLite then compiles each statement once instead of once per batch. The commands belong to the
/// connection they were made on; asked for another connection, the cache lets the old commands go first. Not thread-safe:
/// one writer owns it, and disposes it with its connection.
/// </summary>
public sealed class PreparedCommands : IDisposable
{
    /// <summary>Most statements kept; past it the cache starts again (a writer's statements are a handful).</summary>
    public const int MaxCommands = 32;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private DbConnection? _connection;

    /// <summary>How many commands are kept now.</summary>
    public int Count => _commands.Count;

    /// <summary>
    /// The command for <paramref name="sql"/> on <paramref name="connection"/>, in <paramref name="transaction"/>;
    /// <paramref name="isNew"/> says it was just made (no parameters, not prepared yet).
    /// </summary>
    public DbCommand For(DbConnection connection, DbTransaction? transaction, string sql, out bool isNew)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        if (!ReferenceEquals(connection, _connection) || _commands.Count >= MaxCommands && !_commands.ContainsKey(sql))
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

    private void Clear()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _connection = null;
    }

    public void Dispose() => Clear();
}
