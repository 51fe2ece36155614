using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetaClinic.App.Data;

/// <summary>Healthy when the database answers and every shipped migration has been applied.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ClinicDbContext> dbFactory, DatabaseMigrator migrator, DatabaseSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
#pragma warning disable EF1002 // the table name and literal are constants, nothing from outside
            var applied = await db.Database
                .SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM {DatabaseMigrator.ChangelogTable} WHERE success = {(settings.Provider == DatabaseProvider.Sqlite ? "1" : "true")} AND type = 0")
                .SingleAsync(cancellationToken);
#pragma warning restore EF1002
            var shipped = migrator.ShippedMigrationCount;
            var data = new Dictionary<string, object>
            {
                ["provider"] = settings.Provider.ToString().ToLowerInvariant(),
                ["migrationsApplied"] = applied,
                ["migrationsShipped"] = shipped,
            };
            return applied >= shipped
                ? HealthCheckResult.Healthy("database reachable, migrations current", data)
                : HealthCheckResult.Unhealthy($"{shipped - applied} migration(s) not applied", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + ex.GetType().Name, ex);
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteJson(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
