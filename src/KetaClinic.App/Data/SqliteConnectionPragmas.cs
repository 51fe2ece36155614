using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KetaClinic.App.Data;

/// <summary>
/// Per-connection SQLite settings, applied each time EF opens a connection (a pooled connection keeps them, and
/// setting them again costs one statement): the page cache size, and the automatic checkpoint raised to a fallback
/// because <see cref="SqliteCheckpointer"/> checkpoints beside the writers. WAL is the file's mode. FULL sync is the
/// library's default, set again here because the HL7 intake's writer turns it down on its own connection (it syncs
/// the log itself, <see cref="SqliteLogSync"/>) and a pooled connection keeps the setting.
/// </summary>
public sealed class SqliteConnectionPragmas(int cacheMebibytes) : DbConnectionInterceptor
{
    /// <summary>A negative cache_size is in KiB rather than pages.</summary>
    private readonly string _pragma = "PRAGMA synchronous=FULL;PRAGMA cache_size=-" + (cacheMebibytes * 1024).ToString(CultureInfo.InvariantCulture) + ";"
        + "PRAGMA wal_autocheckpoint=" + SqliteCheckpointer.WriterFallbackPages.ToString(CultureInfo.InvariantCulture) + ";";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }
}
