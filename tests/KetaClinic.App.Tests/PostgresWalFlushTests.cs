using System.Net;
using System.Net.Sockets;
using KetaClinic.App.Data;
using KetaClinic.App.Hl7;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KetaClinic.App.Tests;

/// <summary>
/// PostgreSQL only: the HL7 intake commits with synchronous_commit=off and sends its ACKs only once a flush of the
/// server's log, begun after the commit, has returned (<see cref="PostgresWalFlush"/>). A failed flush costs the
/// waiting messages their ACK, not the intake: the next flush runs on a new connection.
/// </summary>
public sealed class PostgresWalFlushTests
{
    [Fact]
    public async Task The_ACK_waits_for_a_flush_of_the_server_log_begun_after_the_commit()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.PostgreSql);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? flushedWith = null;
        var (app, stream, client, equipment) = await DurabilityHarness.AppWithMonitorAsync(database, intake => intake.NewWalFlush = cs => new PostgresWalFlush(cs)
        {
            Flush = async (connection, ct) =>
            {
                await using (var setting = connection.CreateCommand())
                {
                    setting.CommandText = "SHOW synchronous_commit";
                    flushedWith = (string?)await setting.ExecuteScalarAsync(ct);
                }
                entered.TrySetResult();
                await go.Task;
                await PostgresWalFlush.FlushAsync(connection, ct);
            },
        });
        await using var _ = app;
        using var __ = client;

        try
        {
            await DurabilityHarness.WriteFrameAsync(stream, Hl7ListenerTests.Oru("FLUSH-1", equipment));
            await entered.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await using (var db = app.NewDbContext())
            {
                Assert.Equal("AA", (await db.Hl7InboundMessages.SingleAsync(m => m.ControlId == "FLUSH-1")).AckCode); // committed
            }
            Assert.Equal("on", flushedWith); // the flush itself waits for the disk

            await Task.Delay(300);
            Assert.False(stream.DataAvailable, "the ACK was sent before the server's log was flushed");
        }
        finally
        {
            go.TrySetResult(); // also when an assertion failed, so the app can stop
        }
        Assert.Contains("MSA|AA|FLUSH-1", await DurabilityHarness.ReadFrameAsync(stream), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_flush_costs_its_messages_their_ACK_and_the_resent_message_is_acknowledged_after_the_next_flush()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.PostgreSql);
        var flushes = 0;
        var (app, stream, client, equipment) = await DurabilityHarness.AppWithMonitorAsync(database, intake => intake.NewWalFlush = cs => new PostgresWalFlush(cs)
        {
            Flush = (connection, ct) => Interlocked.Increment(ref flushes) == 1
                ? throw new NpgsqlException("simulated: the server went away")
                : PostgresWalFlush.FlushAsync(connection, ct),
        });
        await using var _ = app;
        using var __ = client;

        await DurabilityHarness.WriteFrameAsync(stream, Hl7ListenerTests.Oru("FLUSH-FAIL-1", equipment));
        Assert.Equal(0, await DurabilityHarness.ReadToEndAsync(stream)); // no ACK: the connection is dropped

        // The monitor sends the same message again on a new connection: it was stored, so it is answered AA, once.
        using var again = new TcpClient();
        await again.ConnectAsync(IPAddress.Loopback, await app.Services.GetRequiredService<MllpServer>().BoundPort);
        await DurabilityHarness.WriteFrameAsync(again.GetStream(), Hl7ListenerTests.Oru("FLUSH-FAIL-1", equipment));
        Assert.Contains("MSA|AA|FLUSH-FAIL-1", await DurabilityHarness.ReadFrameAsync(again.GetStream()), StringComparison.Ordinal);
        await using var db = app.NewDbContext();
        Assert.Equal(1, await db.Hl7InboundMessages.CountAsync(m => m.ControlId == "FLUSH-FAIL-1"));
        Assert.True(flushes >= 2);
        Assert.Null(app.Services.GetRequiredService<VitalsIntake>().DurabilityFailure);
    }
}
