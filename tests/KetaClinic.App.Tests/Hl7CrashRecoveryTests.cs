using System.Data.Common;
using KetaClinic.App.Data;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli.Monitors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KetaClinic.App.Tests;

/// <summary>
/// "AA only after commit", tested by stopping the app between receiving a message and committing it: the monitor
/// gets no ACK, sends again to the restarted app on the same database, gets AA, and the values are stored once.
/// </summary>
public abstract class Hl7CrashRecoveryTests(Provider provider)
{
    /// <summary>Holds the commit of the transaction that files a message from one device until the app stops.</summary>
    private sealed class CommitGate(string deviceKey) : DbTransactionInterceptor
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            // The intake inserts in bulk (nothing tracked): ask the transaction itself whether it files this device's message.
            if (await MonitoredChairs.FilesMessageFromAsync(transaction, deviceKey, cancellationToken) && Reached.TrySetResult())
            {
                // The app is "killed" here: it stops while this commit waits, so the transaction is rolled back.
                await Task.Delay(TimeSpan.FromMinutes(2), cancellationToken);
            }
            return result;
        }
    }

    /// <summary>Breaks the connection of the first transaction that files a message from one device, just before its commit.</summary>
    private sealed class ConnectionBreaker(string deviceKey) : DbTransactionInterceptor
    {
        public int Broken;

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            var connection = transaction.Connection!;
            if (await MonitoredChairs.FilesMessageFromAsync(transaction, deviceKey, cancellationToken) && Interlocked.Exchange(ref Broken, 1) == 0)
            {
                if (connection is Npgsql.NpgsqlConnection)
                {
                    // The server ends the session, as a restart or a network cut would: the commit fails.
                    await using var kill = connection.CreateCommand();
                    kill.CommandText = "SELECT pg_terminate_backend(pg_backend_pid())";
                    await kill.ExecuteNonQueryAsync(cancellationToken);
                }
                else
                {
                    await connection.CloseAsync();
                }
            }
            return result;
        }
    }

    [Fact]
    public async Task A_message_whose_commit_was_cut_off_by_a_crash_is_resent_acknowledged_AA_and_stored_once()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var port = MonitoredChairs.FreePort();
        var settings = MonitoredChairs.Hl7Settings(port);
        var prefix = MonitoredChairs.DevicePrefix("CRASH");
        var equipment = prefix + "1";
        var gate = new CommitGate("equipment:" + equipment);
        var first = MonitoredChairs.AppWith(database, port, gate);
        Guid sessionId;
        try
        {
            _ = first.Server;
            sessionId = await MonitoredChairs.AddAsync(first, equipment);
        }
        catch
        {
            await first.DisposeAsync();
            throw;
        }

        // The monitor: one message, waiting up to 3 s for each ACK and sending again on a new connection when none comes.
        var monitor = new MonitorSimulator(new SimulationOptions("127.0.0.1", port, 1, 0, null, 1, prefix, AckTimeout: TimeSpan.FromSeconds(3), MaxAttempts: 200), TimeProvider.System);
        var sending = monitor.RunAsync(CancellationToken.None);
        await gate.Reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await first.DisposeAsync();

        await using var second = new ClinicAppFactory(database, demoPatients: 2, settings);
        _ = second.Server;
        var summary = await sending.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, summary.Sent);
        Assert.Equal(1, summary.Aa);
        Assert.True(summary.Resends >= 1, "the monitor got no ACK from the stopped app and sent again");
        await using var db = second.NewDbContext();
        var logs = await db.Hl7InboundMessages.Where(m => m.DeviceKey == "equipment:" + equipment).ToListAsync();
        Assert.Equal("AA", Assert.Single(logs).AckCode);
        Assert.Equal(5, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.RecordType == "vital-signs" && a.RecordId == logs[0].Id.ToString()));
    }

    [Fact]
    public async Task After_the_writer_loses_its_connection_the_resent_message_and_the_next_ones_are_stored_on_a_new_one()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var port = MonitoredChairs.FreePort();
        var prefix = MonitoredChairs.DevicePrefix("BREAK");
        var equipment = prefix + "1";
        var breaker = new ConnectionBreaker("equipment:" + equipment);
        await using var app = MonitoredChairs.AppWith(database, port, breaker);
        _ = app.Server;
        var sessionId = await MonitoredChairs.AddAsync(app, equipment);

        var monitor = new MonitorSimulator(new SimulationOptions("127.0.0.1", port, 1, 0, null, 3, prefix, AckTimeout: TimeSpan.FromSeconds(3), MaxAttempts: 20), TimeProvider.System);
        var summary = await monitor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, breaker.Broken);
        Assert.Equal((3, 3), (summary.Sent, summary.Aa));
        Assert.True(summary.Resends >= 1, "the message whose commit failed got no ACK and was sent again");
        await using var db = app.NewDbContext();
        var logs = await db.Hl7InboundMessages.Where(m => m.DeviceKey == "equipment:" + equipment).ToListAsync();
        Assert.Equal(3, logs.Count);
        Assert.All(logs, l => Assert.Equal("AA", l.AckCode));
        Assert.Equal(15, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
        Assert.Equal(["check-in", "vitals", "vitals", "vitals"], await db.SessionEvents.Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync());
        var chain = await AuditTrail.VerifyAsync(db, CancellationToken.None);
        Assert.True(chain.Intact, chain.Problem);
    }
}

public sealed class Hl7CrashRecoveryTests_Sqlite() : Hl7CrashRecoveryTests(Provider.Sqlite);

public sealed class Hl7CrashRecoveryTests_Postgres() : Hl7CrashRecoveryTests(Provider.PostgreSql);
