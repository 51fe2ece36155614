using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

public abstract class HostTests(AppFixture fixture)
{
    private ClinicAppFactory App => fixture.App;

    [Fact]
    public async Task Health_reports_the_database_reachable_and_every_migration_applied()
    {
        using var client = await App.ClientForAsync(null);
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var data = body.GetProperty("checks").GetProperty("database").GetProperty("data");
        Assert.Equal(App.Database.ProviderSetting, data.GetProperty("provider").GetString());
        Assert.Equal(data.GetProperty("migrationsShipped").GetInt32(), data.GetProperty("migrationsApplied").GetInt32());
    }

    [Fact]
    public async Task Concurrent_registrations_keep_the_audit_chain_gap_free_and_intact()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => App.ClientForAsync(ClinicRoles.FrontDesk)));
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            clients[i % clients.Length].PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient("Parallel" + i))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        await using var db = App.NewDbContext();
        var verification = await AuditTrail.VerifyAsync(db, CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
        var sequences = await db.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_naming_the_parameter()
    {
        var client = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var response = await client.GetAsync("/api/patients?q=smith&take=lots");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("take", out _));
    }

    [Fact]
    public async Task A_status_change_after_entered_in_error_is_a_400_naming_status()
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var id = (await (await desk.PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var added = await (await nurse.PostAsJsonAsync($"/api/patients/{id}/allergies", new { substance = "Latex" })).Content.ReadFromJsonAsync<JsonElement>();
        var allergyId = added.GetProperty("allergies")[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await nurse.PostAsJsonAsync($"/api/patients/{id}/allergies/{allergyId}/status", new { status = "entered-in-error" })).StatusCode);
        var again = await nurse.PostAsJsonAsync($"/api/patients/{id}/allergies/{allergyId}/status", new { status = "active" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
        var unknown = await nurse.PostAsJsonAsync($"/api/patients/{id}/allergies/{allergyId}/status", new { status = "gone" });
        Assert.Contains("entered-in-error", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("status")[0].GetString(), StringComparison.Ordinal);
    }
}

public sealed class HostTests_Sqlite(SqliteApp f) : HostTests(f), IClassFixture<SqliteApp>;

public sealed class HostTests_Postgres(PostgresApp f) : HostTests(f), IClassFixture<PostgresApp>;
