using System.Data.Common;
using KetaClinic.App.Data;
using KetaClinic.App.Hl7;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli.Monitors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace KetaClinic.App.Tests;

/// <summary>
/// PostgreSQL: the intake's connection keeps planning statements for their values (its plan_cache_mode), while its
/// transaction sets other modes for itself (a plan kept for the reads that go by key, PostgreSQL's own plan caching
/// for the inserts), ended by the commit. The resend lookup goes through the index even when the message log has no
/// statistics yet, with the plan it gets.
/// </summary>
public sealed class Hl7IntakePlanCachingTests
{
    /// <summary>Notes plan_cache_mode inside the intake's transaction, just before its commit, and on its connection just after.</summary>
    private sealed class PlanCacheProbe(string deviceKey) : DbTransactionInterceptor
    {
        public string? BeforeCommit { get; private set; }

        public string? AfterCommit { get; private set; }

        private bool _filing;

        private static async Task<string?> ShowAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SHOW plan_cache_mode";
            return (string?)await command.ExecuteScalarAsync(ct);
        }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            _filing = BeforeCommit is null && await MonitoredChairs.FilesMessageFromAsync(transaction, deviceKey, cancellationToken);
            if (_filing)
            {
                BeforeCommit = await ShowAsync(transaction.Connection!, transaction, cancellationToken);
            }
            return result;
        }

        public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (_filing && AfterCommit is null)
            {
                _filing = false;
                AfterCommit = await ShowAsync(eventData.Context!.Database.GetDbConnection(), null, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task The_intake_inserts_with_cached_plans_and_its_connection_keeps_planning_reads_for_their_values()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.PostgreSql);
        var port = MonitoredChairs.FreePort();
        var prefix = MonitoredChairs.DevicePrefix("PLAN");
        var watch = new PlanCacheProbe("equipment:" + prefix + "1");
        await using var app = MonitoredChairs.AppWith(database, port, watch);
        _ = app.Server;
        var sessionId = await MonitoredChairs.AddAsync(app, prefix + "1");

        var monitor = new MonitorSimulator(new SimulationOptions("127.0.0.1", port, 1, 0, null, 2, prefix, AckTimeout: TimeSpan.FromSeconds(10)), TimeProvider.System);
        var summary = await monitor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, summary.Aa);
        Assert.Equal("auto", watch.BeforeCommit);
        Assert.Equal("force_custom_plan", watch.AfterCommit);
        await using var db = app.NewDbContext();
        Assert.Equal(10, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
    }

    [Fact]
    public async Task Resends_are_looked_up_by_index_while_the_message_log_has_no_statistics_yet()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.PostgreSql);
        await using var app = new ClinicAppFactory(database, demoPatients: 2);
        _ = app.Server;

        // A message log that grew faster than autovacuum analyzes it (a new clinic's first minutes, or a bench run):
        // without statistics, a lookup written as "control_id = ANY(...)" is planned as a scan of the whole table.
        await using var db = app.NewDbContext();
        await db.Database.OpenConnectionAsync();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await ExecuteAsync(connection, "ALTER TABLE hl7_inbound_messages SET (autovacuum_enabled = false)");
        await ExecuteAsync(connection, """
            INSERT INTO hl7_inbound_messages (id, sending_application, sending_facility, control_id, message_type, received_at, ack_code, observations_stored, observations_rejected)
            SELECT gen_random_uuid(), 'EARLIER', 'WARD', 'EARLIER-' || g, 'ORU^R01', now(), 'AA', 5, 0 FROM generate_series(1, 50000) g
            """);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'hl7_inbound_messages'"));

        // A batch from 50 monitors, two of them resending.
        string[] controlIds = ["EARLIER-17", "EARLIER-49999", .. Enumerable.Range(1, 48).Select(i => $"NEW-{i}")];
        await using var tx = await AuditTrail.BeginForHeadLockAsync(db, CancellationToken.None);
        var read = await IntakeReads.For(db).ReadBatchAsync(db, controlIds, CancellationToken.None);

        Assert.Equal(["EARLIER-17", "EARLIER-49999"], read.Answered.Select(a => a.ControlId).Order(StringComparer.Ordinal));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'hl7_inbound_messages'"));
        Assert.True(await ScalarAsync(connection, "SELECT idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'hl7_inbound_messages'") > 0);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
