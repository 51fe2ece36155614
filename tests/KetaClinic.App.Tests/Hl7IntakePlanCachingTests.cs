using System.Data.Common;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli.Monitors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KetaClinic.App.Tests;

/// <summary>
/// PostgreSQL: the intake's reads are planned for their values (the connection's plan_cache_mode), while its inserts,
/// whose foreign-key checks run a saved plan for every row, use PostgreSQL's own plan caching, for that transaction only.
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
}
