using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

public abstract class PatientRegistryTests(AppFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClinicAppFactory App => fixture.App;

    internal static object ValidPatient(string family = "Testperson", string? mrn = null) => new
    {
        mrn,
        legalGivenName = "Maria",
        legalFamilyName = family,
        preferredName = "Mia",
        dateOfBirth = "1984-03-17",
        sex = "female",
        phone = "+1 217 555 0101",
        email = "maria@example.org",
        companionName = "Luis Testperson",
        companionPhone = "+1 217 555 0102",
    };

    [Fact]
    public async Task Front_desk_registers_a_patient_and_finds_them_by_name_dob_and_mrn()
    {
        var client = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var family = "Quist" + Guid.NewGuid().ToString("N")[..6];
        var created = await client.PostAsJsonAsync("/api/patients", ValidPatient(family));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = (await created.Content.ReadFromJsonAsync<PatientRecord>(Json))!;
        Assert.Matches("^KC[0-9]{8}$", record.Mrn);
        Assert.Null(record.Diagnoses); // front desk does not see clinical lists

        var byName = await client.GetFromJsonAsync<List<PatientSummary>>($"/api/patients?q={family.ToLowerInvariant()}%20maria", Json);
        Assert.Equal(record.Id, Assert.Single(byName!).Id);
        var byDob = await client.GetFromJsonAsync<List<PatientSummary>>("/api/patients?dob=1984-03-17&take=200", Json);
        Assert.Contains(byDob!, p => p.Id == record.Id);
        var byMrn = await client.GetFromJsonAsync<List<PatientSummary>>($"/api/patients?q={record.Mrn}", Json);
        Assert.Equal(record.Id, Assert.Single(byMrn!).Id);
    }

    [Fact]
    public async Task Physician_records_diagnoses_allergies_and_weights_on_the_record()
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var id = (await (await desk.PostAsJsonAsync("/api/patients", ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id;
        var physician = await App.ClientForAsync(ClinicRoles.Physician);

        var dx = await physician.PostAsJsonAsync($"/api/patients/{id}/diagnoses", new { code = "f332", description = "MDD, recurrent, severe", onsetDate = "2019-05-01" });
        Assert.Equal(HttpStatusCode.OK, dx.StatusCode);
        var allergy = await physician.PostAsJsonAsync($"/api/patients/{id}/allergies", new { substance = "Penicillin", reaction = "Hives", severity = "moderate" });
        Assert.Equal(HttpStatusCode.OK, allergy.StatusCode);
        var weight = await physician.PostAsJsonAsync($"/api/patients/{id}/measurements", new { kind = "weight", value = 72.5 });
        Assert.Equal(HttpStatusCode.OK, weight.StatusCode);

        var record = (await physician.GetFromJsonAsync<PatientRecord>($"/api/patients/{id}", Json))!;
        Assert.Equal("F33.2", Assert.Single(record.Diagnoses!).Code);
        Assert.Equal("Penicillin", Assert.Single(record.Allergies!).Substance);
        Assert.Equal(72.5m, Assert.Single(record.Measurements!).Value);

        var resolved = await physician.PostAsJsonAsync($"/api/patients/{id}/diagnoses/{record.Diagnoses![0].Id}/status", new { status = "resolved" });
        Assert.Equal("resolved", (await resolved.Content.ReadFromJsonAsync<PatientRecord>(Json))!.Diagnoses![0].Status);
    }

    [Fact]
    public async Task A_stale_edit_is_refused_with_a_conflict()
    {
        var client = await App.ClientForAsync(ClinicRoles.Nurse);
        var record = (await (await client.PostAsJsonAsync("/api/patients", ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!;
        var first = await client.PutAsJsonAsync($"/api/patients/{record.Id}", new { version = record.Version, details = record.Details with { City = "Peoria" } });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var stale = await client.PutAsJsonAsync($"/api/patients/{record.Id}", new { version = record.Version, details = record.Details with { City = "Decatur" } });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var current = (await client.GetFromJsonAsync<PatientRecord>($"/api/patients/{record.Id}", Json))!;
        Assert.Equal("Peoria", current.Details.City);
    }

    public static TheoryData<string, string> BadPatients => new()
    {
        { """{"legalGivenName":"A","legalFamilyName":"B","dateOfBirth":"2999-01-01","sex":"female","phone":"+1 217 555 0101"}""", "dateOfBirth" },
        { """{"legalGivenName":"A","legalFamilyName":"B","dateOfBirth":"1980-01-01","sex":"female","email":"not-an-email"}""", "email" },
        { """{"legalGivenName":"A","legalFamilyName":"B","dateOfBirth":"1980-01-01","sex":"female","phone":"call me maybe"}""", "phone" },
        { $$"""{"legalGivenName":"{{new string('x', 101)}}","legalFamilyName":"B","dateOfBirth":"1980-01-01","sex":"female","phone":"+1 217 555 0101"}""", "legalGivenName" },
        { """{"legalGivenName":"A","legalFamilyName":"B","dateOfBirth":"1980-01-01","sex":"robot","phone":"+1 217 555 0101"}""", "sex" },
        { """{"legalGivenName":"A","legalFamilyName":"B","dateOfBirth":"1980-02-30","sex":"female","phone":"+1 217 555 0101"}""", "dateOfBirth" },
        { """{"mrn":"KC12345678","legalGivenName":"A","legalFamilyName":"B","dateOfBirth":"1980-01-01","sex":"female","phone":"+1 217 555 0101"}""", "mrn" },
    };

    [Theory]
    [MemberData(nameof(BadPatients))]
    public async Task Bad_patient_input_is_a_400_naming_the_field_and_nothing_is_saved(string body, string field)
    {
        var client = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var before = await CountPatients();
        var response = await client.PostAsync("/api/patients", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(before, await CountPatients());
    }

    [Fact]
    public async Task A_duplicate_mrn_is_a_400_naming_mrn()
    {
        var client = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var existing = (await (await client.PostAsJsonAsync("/api/patients", ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!;
        var before = await CountPatients();
        var duplicate = await client.PostAsJsonAsync("/api/patients", ValidPatient("Other", existing.Mrn));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("already belongs", (await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("mrn")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountPatients());
    }

    [Fact]
    public async Task An_unknown_icd10_code_format_is_a_400_naming_code()
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var id = (await (await desk.PostAsJsonAsync("/api/patients", ValidPatient())).Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id;
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var response = await physician.PostAsJsonAsync($"/api/patients/{id}/diagnoses", new { code = "DEPRESSION" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));
        await using var db = App.NewDbContext();
        Assert.False(await db.Diagnoses.AnyAsync(d => d.PatientId == id));
    }

    private async Task<int> CountPatients()
    {
        await using var db = App.NewDbContext();
        return await db.Patients.CountAsync();
    }
}

public sealed class PatientRegistryTests_Sqlite(SqliteApp f) : PatientRegistryTests(f), IClassFixture<SqliteApp>;

public sealed class PatientRegistryTests_Postgres(PostgresApp f) : PatientRegistryTests(f), IClassFixture<PostgresApp>;
