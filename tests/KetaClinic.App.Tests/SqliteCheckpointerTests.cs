using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>
/// SQLite only: commits reach the database file through the background checkpointer, long before the writers' own
/// automatic checkpoint (raised to a fallback) would copy them.
/// </summary>
public sealed class SqliteCheckpointerTests
{
    [Fact]
    public async Task Committed_entries_reach_the_database_file_without_a_writer_checkpointing()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, database.ConnectionString);
        new DatabaseMigrator(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).Migrate();
        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        settings.Configure(options);
        var audit = new AuditTrail(TimeProvider.System);
        var actor = new Actor("test-user", "Test User", ["Administrator"], null);

        await using (var db = new ClinicDbContext(options.Options))
        {
            await db.Database.OpenConnectionAsync();
            await using var pragma = db.Database.GetDbConnection().CreateCommand();
            pragma.CommandText = "PRAGMA wal_autocheckpoint";
            Assert.Equal(SqliteCheckpointer.WriterFallbackPages, Convert.ToInt32(await pragma.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var before = SqliteCheckpointer.For(database.ConnectionString).Runs;
        for (var i = 0; i < 5; i++)
        {
            await using var db = new ClinicDbContext(options.Options);
            await using var tx = await AuditTrail.BeginAsync(db, CancellationToken.None);
            await audit.RecordAsync(db, actor, AuditActions.Read, "checkpoint-test", i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null, CancellationToken.None);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        // The database file alone (copied without its write-ahead log) holds the five entries once a checkpoint ran.
        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var copy = Path.Combine(database.Directory, "file-only-copy.db");
        var found = 0L;
        string? lastError = null;
        for (var attempt = 0; attempt < 100 && found < 5; attempt++)
        {
            await Task.Delay(50);
            File.Copy(file, copy, overwrite: true);
            try
            {
                await using var read = new SqliteConnection($"Data Source={copy};Pooling=False");
                await read.OpenAsync();
                await using var count = read.CreateCommand();
                count.CommandText = "SELECT count(*) FROM audit_entries WHERE record_type = 'checkpoint-test'";
                found = (long)(await count.ExecuteScalarAsync())!;
            }
            catch (SqliteException ex)
            {
                lastError = ex.Message;
                // Copied while the checkpointer was writing it: look again.
            }
            File.Delete(copy + "-wal");
            File.Delete(copy + "-shm");
        }
        Assert.True(found == 5, $"found {found}, runs {SqliteCheckpointer.For(database.ConnectionString).Runs - before}, failures {SqliteCheckpointer.For(database.ConnectionString).Failures}, last read error {lastError}");
        Assert.True(SqliteCheckpointer.For(database.ConnectionString).Runs > before);
        Assert.Equal(0, SqliteCheckpointer.For(database.ConnectionString).Failures);
    }
}
