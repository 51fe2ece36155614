using System.Net;
using System.Net.Sockets;
using KetaClinic.App.Data;
using KetaClinic.App.Hl7;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Win32.SafeHandles;

namespace KetaClinic.App.Tests;

/// <summary>
/// SQLite only: the HL7 intake commits without waiting for the disk and sends its ACKs only once the write-ahead log
/// holding the commit has been synced (<see cref="SqliteLogSync"/>); a failed sync means no ACK, ever, until a restart.
/// </summary>
public sealed class SqliteLogSyncTests
{
    /// <summary>A flush that waits for the test's go-ahead, and remembers which file it was asked to sync.</summary>
    private sealed class GatedFlush
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ManualResetEventSlim Go { get; } = new(false);
        public string? File { get; private set; }

        public void Flush(SafeFileHandle handle)
        {
            // The descriptor's path, as the kernel knows it.
            File = System.IO.File.ResolveLinkTarget($"/proc/self/fd/{handle.DangerousGetHandle()}", returnFinalTarget: false)?.FullName;
            Entered.TrySetResult();
            Go.Wait(TimeSpan.FromMinutes(1));
            FileSync.DataToDisk(handle);
        }
    }

    private static Task<(ClinicAppFactory App, NetworkStream Stream, TcpClient Client, string Equipment)> AppWithMonitorAsync(TestDatabase database, Action<SafeFileHandle> flush) =>
        DurabilityHarness.AppWithMonitorAsync(database, intake => intake.NewLogSync = cs => new SqliteLogSync(cs) { Flush = flush });

    private static Task WriteFrameAsync(NetworkStream stream, string message) => DurabilityHarness.WriteFrameAsync(stream, message);

    private static Task<string> ReadFrameAsync(NetworkStream stream) => DurabilityHarness.ReadFrameAsync(stream);

    private static Task<int> ReadToEndAsync(NetworkStream stream) => DurabilityHarness.ReadToEndAsync(stream);

    [Fact]
    public async Task The_ACK_waits_for_the_sync_of_the_log_that_holds_the_commit()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        var gate = new GatedFlush();
        var (app, stream, client, equipment) = await AppWithMonitorAsync(database, gate.Flush);
        await using var _ = app;
        using var __ = client;

        try
        {
            await WriteFrameAsync(stream, Hl7ListenerTests.Oru("SYNC-1", equipment));
            await gate.Entered.Task.WaitAsync(TimeSpan.FromMinutes(1));

            // Committed (another connection sees it), and the log being synced is the database's write-ahead log.
            await using (var db = app.NewDbContext())
            {
                Assert.Equal("AA", (await db.Hl7InboundMessages.SingleAsync(m => m.ControlId == "SYNC-1")).AckCode);
            }
            Assert.Equal(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource + "-wal", gate.File);

            // No ACK while the sync has not returned.
            await Task.Delay(300);
            Assert.False(stream.DataAvailable, "the ACK was sent before the log was on disk");
        }
        finally
        {
            gate.Go.Set(); // also when an assertion failed, so the app can stop
        }
        var ack = await ReadFrameAsync(stream);
        Assert.Contains("MSA|AA|SYNC-1", ack, StringComparison.Ordinal);
        Assert.Null(app.Services.GetRequiredService<VitalsIntake>().DurabilityFailure);
    }

    [Fact]
    public async Task When_the_log_cannot_be_synced_nothing_is_acknowledged_any_more_and_the_health_check_says_why()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        var flushes = 0;
        var (app, stream, client, equipment) = await AppWithMonitorAsync(database, _ =>
        {
            Interlocked.Increment(ref flushes);
            throw new IOException("Input/output error (simulated write-back failure)");
        });
        await using var _ = app;
        using var __ = client;

        await WriteFrameAsync(stream, Hl7ListenerTests.Oru("SYNC-FAIL-1", equipment));
        Assert.Equal(0, await ReadToEndAsync(stream)); // no ACK: the connection is dropped, the monitor will send again

        // A later message is not acknowledged either, and no further sync is tried: the first failure stands.
        using var again = new TcpClient();
        await again.ConnectAsync(IPAddress.Loopback, await app.Services.GetRequiredService<MllpServer>().BoundPort);
        await WriteFrameAsync(again.GetStream(), Hl7ListenerTests.Oru("SYNC-FAIL-2", equipment));
        Assert.Equal(0, await ReadToEndAsync(again.GetStream()));
        Assert.Equal(1, flushes);

        var health = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var body = await health.Content.ReadAsStringAsync();
        Assert.Contains("hl7-intake", body, StringComparison.Ordinal);
        Assert.Contains("simulated write-back failure", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_one_failed_sync_nothing_is_reported_durable_even_if_the_disk_answers_again()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        new DatabaseMigrator(new DatabaseSettings(DatabaseProvider.Sqlite, database.ConnectionString), Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).Migrate();
        var flushes = 0;
        using var sync = new SqliteLogSync(database.ConnectionString)
        {
            Flush = handle =>
            {
                if (Interlocked.Increment(ref flushes) == 2)
                {
                    throw new IOException("simulated write-back failure");
                }
                FileSync.DataToDisk(handle);
            },
        };

        await sync.DurableAsync();
        await Assert.ThrowsAsync<IOException>(sync.DurableAsync);
        // The third request would flush fine, but what failed to reach the disk before is not there: it fails too.
        var third = await Assert.ThrowsAsync<IOException>(sync.DurableAsync);
        Assert.Contains("simulated write-back failure", third.Message, StringComparison.Ordinal);
        Assert.Equal(2, flushes);
        Assert.Equal(1, sync.Syncs);
        Assert.NotNull(sync.Failure);
    }

    [Fact]
    public async Task A_pooled_connection_the_intake_turned_down_to_NORMAL_syncs_fully_again_for_the_next_user()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, database.ConnectionString);
        new DatabaseMigrator(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).Migrate();
        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        settings.Configure(options);

        await using (var first = new ClinicDbContext(options.Options))
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL");
            Assert.Equal(1L, await SynchronousAsync(first));
        }
        await using var second = new ClinicDbContext(options.Options);
        await second.Database.OpenConnectionAsync();
        Assert.Equal(2L, await SynchronousAsync(second)); // FULL
    }

    private static async Task<long> SynchronousAsync(ClinicDbContext db)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)(await command.ExecuteScalarAsync())!;
    }

}

/// <summary>An app with one monitored chair and a monitor connected to it, for the durability tests.</summary>
internal static class DurabilityHarness
{
    public static async Task<(ClinicAppFactory App, NetworkStream Stream, TcpClient Client, string Equipment)> AppWithMonitorAsync(TestDatabase database, Action<VitalsIntake> configure)
    {
        var port = MonitoredChairs.FreePort();
        var app = new ClinicAppFactory(database, demoPatients: 2, MonitoredChairs.Hl7Settings(port));
        _ = app.Server;
        configure(app.Services.GetRequiredService<VitalsIntake>());
        var equipment = MonitoredChairs.DevicePrefix("SYNC") + "1";
        await MonitoredChairs.AddAsync(app, equipment);
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        return (app, client.GetStream(), client, equipment);
    }

    public static async Task WriteFrameAsync(NetworkStream stream, string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message);
        await stream.WriteAsync(new byte[] { 0x0B }.Concat(bytes).Concat(new byte[] { 0x1C, 0x0D }).ToArray());
    }

    /// <summary>One ACK frame, read as a monitor would (see <see cref="Hl7ListenerTests"/>).</summary>
    public static Task<string> ReadFrameAsync(NetworkStream stream) => Hl7ListenerTests.ReadFrameAsync(stream);

    /// <summary>Reads until the server closes the connection; returns how many bytes came.</summary>
    public static async Task<int> ReadToEndAsync(NetworkStream stream)
    {
        var total = 0;
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int n;
        while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            total += n;
        }
        return total;
    }
}
