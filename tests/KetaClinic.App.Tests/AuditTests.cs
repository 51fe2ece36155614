using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

public abstract class AuditTests(AppFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClinicAppFactory App => fixture.App;

    [Fact]
    public async Task A_patient_read_leaves_exactly_one_audit_entry()
    {
        var client = await App.ClientForAsync(ClinicRoles.Nurse);
        var id = (await (await client.PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id;
        var before = await Entries(id);
        (await client.GetAsync($"/api/patients/{id}")).EnsureSuccessStatusCode();
        var added = (await Entries(id)).Skip(before.Count).ToList();
        var entry = Assert.Single(added);
        Assert.Equal(AuditActions.Read, entry.Action);
        Assert.Equal("nurse@demo.clinic", entry.UserName);
        Assert.Equal(ClinicRoles.Nurse, entry.Roles);
        Assert.Equal(id.ToString(), entry.RecordId);
    }

    [Fact]
    public async Task A_patient_edit_leaves_exactly_one_audit_entry()
    {
        var client = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var record = (await (await client.PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!;
        var before = await Entries(record.Id);
        (await client.PutAsJsonAsync($"/api/patients/{record.Id}", new { version = record.Version, details = record.Details with { Phone = "+1 217 555 0199" } })).EnsureSuccessStatusCode();
        var entry = Assert.Single((await Entries(record.Id)).Skip(before.Count));
        Assert.Equal(AuditActions.Update, entry.Action);
        Assert.Contains("phone", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("0199", entry.Details, StringComparison.Ordinal); // which fields changed, not their values
    }

    [Fact]
    public async Task A_failed_write_leaves_no_audit_entry()
    {
        var client = await App.ClientForAsync(ClinicRoles.FrontDesk);
        await using var db = App.NewDbContext();
        var before = await db.AuditEntries.CountAsync();
        var response = await client.PostAsJsonAsync("/api/patients", new { legalGivenName = "Only" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_an_audit_entry()
    {
        await using var db = App.NewDbContext();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET action = 'x' WHERE sequence = 1"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries WHERE sequence = 1"));
        Assert.Equal("create", (await db.AuditEntries.SingleAsync(e => e.Sequence == 1)).Action);
    }

    [Fact]
    public async Task Audit_verify_reports_an_intact_chain_on_the_demo_database()
    {
        var output = new StringWriter();
        var code = await CliProgram.RunAsync(["audit", "verify", "--provider", App.Database.ProviderSetting, "--connection", App.Database.ConnectionString], new StringReader(""), output, new StringWriter());
        Assert.True(code == 0, output.ToString());
        Assert.True(JsonDocument.Parse(output.ToString()).RootElement.GetProperty("intact").GetBoolean());

        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var api = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(api.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Administrators_search_the_log_by_patient()
    {
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var id = (await (await nurse.PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id;
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var entries = await admin.GetFromJsonAsync<List<JsonElement>>($"/api/audit?patientId={id}", Json);
        Assert.Equal("create", Assert.Single(entries!).GetProperty("action").GetString());
    }

    private async Task<List<AuditEntry>> Entries(Guid patientId)
    {
        await using var db = App.NewDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.PatientId == patientId).OrderBy(e => e.Sequence).ToListAsync();
    }
}

public sealed class AuditTests_Sqlite(SqliteApp f) : AuditTests(f), IClassFixture<SqliteApp>;

public sealed class AuditTests_Postgres(PostgresApp f) : AuditTests(f), IClassFixture<PostgresApp>;

/// <summary>Tampering needs its own database: it breaks the chain on purpose.</summary>
public sealed class AuditTamperTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Tampering_with_a_stored_entry_makes_audit_verify_fail_at_that_entry(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var app = new ClinicAppFactory(database, demoPatients: 5))
        {
            _ = app.Server;
            await using var db = app.NewDbContext();
            // Someone with direct database access removes the protection and rewrites entry 3.
            if (provider == Provider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_entries_no_update");
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update");
            }
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET user_name = 'someone-else' WHERE sequence = 3");
        }
        var output = new StringWriter();
        var code = await CliProgram.RunAsync(["audit", "verify", "--provider", database.ProviderSetting, "--connection", database.ConnectionString], new StringReader(""), output, new StringWriter());
        Assert.Equal(1, code);
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.False(report.GetProperty("intact").GetBoolean());
        Assert.Equal(3, report.GetProperty("firstBrokenSequence").GetInt64());
    }
}
