using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

public abstract class LedgerTests(AppFixture fixture)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClinicAppFactory App => fixture.App;

    private static readonly string[] Schedules3 = ["III"];
    private static readonly string[] Schedules34 = ["III", "IV"];

    internal static object Witness(string email) => new { email, password = ClinicAppFactory.Password };

    // ---------------------------------------------------------------- helpers

    internal static async Task<ReferenceView> ReferenceAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<ReferenceView>("/api/ledger/reference", Json))!;

    internal static async Task<ProductView> ProductAsync(HttpClient client, string ndc) =>
        (await ReferenceAsync(client)).Products.Single(p => p.Ndc == ndc);

    internal static async Task<StorageView> StorageAsync(HttpClient client, string name) =>
        (await ReferenceAsync(client)).StorageLocations.Single(s => s.Name == name);

    /// <summary>Receives containers of a product into the cabinet; returns their ids.</summary>
    internal static async Task<List<Guid>> ReceiveAsync(ClinicAppFactory app, string ndc, int containers, string lot = "T-LOT")
    {
        var nurse = await app.ClientForAsync(ClinicRoles.Nurse);
        var product = await ProductAsync(nurse, ndc);
        var cabinet = await StorageAsync(nurse, "Treatment room cabinet");
        var response = await nurse.PostAsJsonAsync("/api/ledger/receipts", new
        {
            storageLocationId = cabinet.Id,
            supplier = new { name = "Test Distributor", address = "1 Test Way, Springfield, IL", deaNumber = DemoDea },
            invoiceNumber = "INV-" + Guid.NewGuid().ToString("N")[..6],
            lines = new[] { new { productId = product.Id, lot, expiresOn = DateOnly.FromDateTime(DateTime.UnixEpoch).AddYears(60), containers } },
            verifier = Witness("nurse2@demo.clinic"),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var entry = (await response.Content.ReadFromJsonAsync<LedgerEntryView>(Json))!;
        var physician = await app.ClientForAsync(ClinicRoles.Physician);
        var stock = (await physician.GetFromJsonAsync<StockView>("/api/ledger/stock", Json))!;
        return [.. stock.Containers.Where(c => c.ReceiptSequence == entry.Sequence).Select(c => c.Id)];
    }

    internal static string DemoDea => KetaClinic.App.Demo.DemoLedger.Dea("RT", 1, 2, 3, 4, 5, 6);

    internal static async Task<(Guid SessionId, Guid PatientId)> SessionAsync(ClinicAppFactory app, string route = "iv")
    {
        await using var db = app.NewDbContext();
        var s = await db.TreatmentSessions.AsNoTracking()
            .Join(db.TreatmentCourses, s => s.CourseId, c => c.Id, (s, c) => new { s, c.Route })
            .Where(x => x.Route == route && x.s.Status == "scheduled").Select(x => x.s).FirstOrDefaultAsync()
            ?? await db.TreatmentSessions.AsNoTracking().Where(x => x.Status == "scheduled").FirstOrDefaultAsync()
            ?? await db.TreatmentSessions.AsNoTracking().FirstAsync();
        return (s.Id, s.PatientId);
    }

    /// <summary>A new scheduled session of an existing course, so a test's draws are the only ones for it.</summary>
    internal static async Task<(Guid SessionId, Guid PatientId)> NewSessionAsync(ClinicAppFactory app)
    {
        await using var db = app.NewDbContext();
        var course = await db.TreatmentCourses.AsNoTracking().OrderBy(c => c.Route == "iv" ? 0 : 1).FirstAsync();
        var session = new TreatmentSession
        {
            Id = Guid.NewGuid(),
            CourseId = course.Id,
            PatientId = course.PatientId,
            LocationId = course.LocationId,
            SequenceNumber = 99,
            ScheduledStart = TimeProvider.System.GetUtcNow(),
            Status = "checked-in",
        };
        db.TreatmentSessions.Add(session);
        await db.SaveChangesAsync();
        return (session.Id, session.PatientId);
    }

    internal static async Task<LedgerEntryView> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<LedgerEntryView>(Json))!;
    }

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<long> EntryCountAsync()
    {
        await using var db = App.NewDbContext();
        return await db.LedgerEntries.LongCountAsync();
    }

    private async Task<long> ContainerBalanceAsync(Guid containerId)
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var stock = (await physician.GetFromJsonAsync<StockView>("/api/ledger/stock", Json))!;
        return stock.Containers.SingleOrDefault(c => c.Id == containerId)?.BalanceMcg ?? 0;
    }

    // ---------------------------------------------------------------- tests

    [Fact]
    public async Task The_demo_ledger_is_intact_and_balances_to_the_microgram_against_its_sessions()
    {
        var output = new StringWriter();
        var code = await CliProgram.RunAsync(["ledger", "verify", "--provider", App.Database.ProviderSetting, "--connection", App.Database.ConnectionString], new StringReader(""), output, new StringWriter());
        Assert.True(code == 0, output.ToString());
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.True(report.GetProperty("entriesChecked").GetInt64() > 10);

        await using var db = App.NewDbContext();
        // The demo's own entries (other tests of this class add theirs after them).
        var seeded = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.RecordType == Ledger.LedgerRecord && a.Details!.Contains("\"demo\":true"));
        var demoCount = JsonDocument.Parse(seeded.Details!).RootElement.GetProperty("entries").GetInt64();
        var demoEntries = (await db.LedgerEntries.AsNoTracking().Where(e => e.Sequence <= demoCount).OrderBy(e => e.Sequence).ToListAsync()).Select(LedgerRows.ToEntry).ToList();
        var state = LedgerState.Replay(demoEntries);
        Assert.Empty(LedgerInvariants.Check(state));
        var completed = await db.TreatmentSessions.AsNoTracking()
            .Join(db.TreatmentCourses, s => s.CourseId, c => c.Id, (s, c) => new { s.Id, s.Status, c.Route })
            .Where(x => x.Status == "completed" && (x.Route == "iv" || x.Route == "im" || x.Route == "intranasal-esketamine")).ToListAsync();
        Assert.NotEmpty(completed);
        foreach (var session in completed)
        {
            var draws = state.Draws.Where(d => d.SessionId == session.Id).ToList();
            Assert.NotEmpty(draws);
            Assert.All(draws, d => Assert.Equal(d.Drawn, d.Administered + d.Wasted));
            Assert.Empty(LedgerInvariants.UnbalancedDraws(state, session.Id));
        }
        // Every product: receipts − administered − wasted − returned − destroyed − lost equals what the containers hold.
        foreach (var product in state.Flows.Select(f => f.ProductId).Distinct())
        {
            Assert.Equal(state.OnHandByFlows(product), state.StockOnHand(product));
        }
    }

    [Fact]
    public async Task A_nurse_receives_stock_verified_by_a_second_person_who_signs_in_with_their_own_password()
    {
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var product = await ProductAsync(nurse, "0409-2051-05");
        var safe = await StorageAsync(nurse, "Main safe");
        object Receipt(object verifier) => new
        {
            storageLocationId = safe.Id,
            receivedOn = (DateOnly?)null,
            supplier = new { name = "Test Distributor", address = "1 Test Way", deaNumber = DemoDea },
            invoiceNumber = "INV-77",
            lines = new[] { new { productId = product.Id, lot = "R-1", expiresOn = new DateOnly(2035, 1, 31), containers = 3 } },
            verifier,
        };
        var before = await EntryCountAsync();
        var self = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/receipts", Receipt(Witness("nurse@demo.clinic"))), HttpStatusCode.BadRequest);
        Assert.True(self.GetProperty("errors").TryGetProperty("verifier", out _));
        var frontDesk = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/receipts", Receipt(Witness("frontdesk@demo.clinic"))), HttpStatusCode.BadRequest);
        Assert.Contains("no role", frontDesk.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var badSupplier = await nurse.PostAsJsonAsync("/api/ledger/receipts", new
        {
            storageLocationId = safe.Id,
            supplier = new { name = "X", address = "Y", deaNumber = "AB1234560" },
            invoiceNumber = "INV-78",
            lines = new[] { new { productId = product.Id, lot = "R-2", expiresOn = new DateOnly(2035, 1, 31), containers = 1 } },
            verifier = Witness("nurse2@demo.clinic"),
        });
        Assert.True((await ProblemAsync(badSupplier, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("supplier.deaNumber", out _));
        Assert.Equal(before, await EntryCountAsync());

        var entry = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/receipts", Receipt(Witness("nurse2@demo.clinic"))));
        Assert.Equal("receipt", entry.Kind);
        Assert.Contains("verified by Maria Chen, RN", entry.Summary, StringComparison.Ordinal);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var stock = (await physician.GetFromJsonAsync<StockView>("/api/ledger/stock", Json))!;
        var received = stock.Containers.Where(c => c.ReceiptSequence == entry.Sequence).ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, c => Assert.Equal(500_000, c.BalanceMcg));
        Assert.Equal(["1", "2", "3"], received.Select(c => c.Label.Split('-')[1]).Order(StringComparer.Ordinal));

        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == Ledger.EntryRecord && a.RecordId == entry.Sequence.ToString(CultureInfo.InvariantCulture) && a.UserName == "nurse@demo.clinic"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == WitnessAuthenticator.Record && a.Action == WitnessAuthenticator.Succeeded && a.UserName == "nurse2@demo.clinic"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == WitnessAuthenticator.Record && a.Action == WitnessAuthenticator.Failed && a.UserName == "frontdesk@demo.clinic"));
    }

    [Fact]
    public async Task Draw_administer_and_waste_with_a_witness_close_the_draw_and_the_witness_is_a_different_signed_in_user()
    {
        var container = (await ReceiveAsync(App, "0409-2051-05", 1))[0];
        var (sessionId, patientId) = await NewSessionAsync(App);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var draw = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 1.0m, unit = "mL" } }));
        Assert.Equal(sessionId, draw.SessionId);
        var given = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/administrations", new { sessionId, drawSequence = draw.Sequence, amount = new { value = 35, unit = "mg" } }));
        Assert.Equal(patientId, given.PatientId);

        var open = await nurse.PostAsync($"/api/ledger/sessions/{sessionId}/close-check", null);
        Assert.Equal(HttpStatusCode.Conflict, open.StatusCode);
        var check = (await open.Content.ReadFromJsonAsync<SessionDrawCheck>(Json))!;
        Assert.Contains(check.OpenDraws, d => d.Sequence == draw.Sequence && d.RemainingMcg == 15_000);

        object Waste(object? witness) => new { drawSequence = draw.Sequence, amount = new { value = 0.3m, unit = "mL" }, manner = "Into the drug-waste container", witness };
        var before = await EntryCountAsync();
        Assert.True((await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", Waste(null)), HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("witness", out _));
        var self = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", Waste(Witness("nurse@demo.clinic"))), HttpStatusCode.BadRequest);
        Assert.Contains("someone other than you", self.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var wrong = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", Waste(new { email = "physician@demo.clinic", password = "not-the-password" })), HttpStatusCode.BadRequest);
        Assert.Contains(WitnessAuthenticator.BadCredentials, wrong.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await EntryCountAsync());
        await using (var db = App.NewDbContext())
        {
            // The failed attempt counts toward the witness's lockout and is audited.
            Assert.True((await db.Users.SingleAsync(u => u.Email == "physician@demo.clinic")).AccessFailedCount >= 1);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == WitnessAuthenticator.Failed && a.UserName == "physician@demo.clinic"));
        }

        var waste = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", Waste(Witness("nurse2@demo.clinic"))));
        Assert.Contains("witnessed by Maria Chen, RN", waste.Summary, StringComparison.Ordinal);
        var closed = await nurse.PostAsync($"/api/ledger/sessions/{sessionId}/close-check", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(450_000, await ContainerBalanceAsync(container));

        var session = (await nurse.GetFromJsonAsync<SessionLedgerView>($"/api/ledger/sessions/{sessionId}", Json))!;
        Assert.Contains(session.Entries, e => e.Sequence == waste.Sequence);
        Assert.Contains(session.Draws, d => d.Sequence == draw.Sequence && d.RemainingMcg == 0);
    }

    [Fact]
    public async Task An_overdraw_is_refused_naming_the_amount_and_nothing_is_saved()
    {
        var container = (await ReceiveAsync(App, "0409-2053-10", 1))[0];
        var (sessionId, _) = await SessionAsync(App);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        await using var db = App.NewDbContext();
        var entries = await db.LedgerEntries.LongCountAsync();
        var audits = await db.AuditEntries.LongCountAsync();
        var problem = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 5.01m, unit = "mL" } }), HttpStatusCode.BadRequest);
        Assert.Contains("below zero", problem.GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);
        var unit = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 1, unit = "devices" } }), HttpStatusCode.BadRequest);
        Assert.True(unit.GetProperty("errors").TryGetProperty("amount", out _));
        var fine = await ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 0.0005m, unit = "mL" } }), HttpStatusCode.BadRequest);
        Assert.Contains("microlitres", fine.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(entries, await db.LedgerEntries.LongCountAsync());
        Assert.Equal(audits, await db.AuditEntries.LongCountAsync());
        Assert.Equal(500_000, await ContainerBalanceAsync(container));
    }

    [Fact]
    public async Task Many_sessions_drawing_from_one_container_at_once_never_overdraw_it()
    {
        var container = (await ReceiveAsync(App, "0409-2051-05", 1))[0];
        await using var db = App.NewDbContext();
        var sessions = await db.TreatmentSessions.AsNoTracking().Where(s => s.Status == "scheduled").Select(s => s.Id).Take(8).ToListAsync();
        Assert.NotEmpty(sessions);
        var clients = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            clients.Add(await App.ClientForAsync(i % 2 == 0 ? ClinicRoles.Nurse : ClinicRoles.Physician));
        }
        // 30 draws of 0.5 mL (25 mg) from a 10 mL vial: only 20 fit.
        var tasks = Enumerable.Range(0, 30).Select(i => clients[i % clients.Count].PostAsJsonAsync("/api/ledger/draws",
            new { sessionId = sessions[i % sessions.Count], containerId = container, amount = new { value = 0.5m, unit = "mL" } })).ToList();
        var responses = await Task.WhenAll(tasks);
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(0, await ContainerBalanceAsync(container));

        var sequences = new List<long>();
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            sequences.Add((await r.Content.ReadFromJsonAsync<LedgerEntryView>(Json))!.Sequence);
        }
        Assert.Equal(20, sequences.Distinct().Count());
        var output = new StringWriter();
        Assert.True(await CliProgram.RunAsync(["ledger", "verify", "--provider", App.Database.ProviderSetting, "--connection", App.Database.ConnectionString], new StringReader(""), output, new StringWriter()) == 0, output.ToString());
    }

    [Fact]
    public async Task A_mistake_is_undone_by_a_reversing_entry_with_a_reason_never_by_an_edit()
    {
        var container = (await ReceiveAsync(App, "0409-2051-05", 1))[0];
        var (sessionId, _) = await SessionAsync(App);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var draw = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 2, unit = "mL" } }));
        Assert.Equal(400_000, await ContainerBalanceAsync(container));

        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync("/api/ledger/corrections", new { originalSequence = draw.Sequence, reason = "typo" })).StatusCode);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        Assert.True((await ProblemAsync(await physician.PostAsJsonAsync("/api/ledger/corrections", new { originalSequence = draw.Sequence }), HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _));
        var correction = await OkAsync(await physician.PostAsJsonAsync("/api/ledger/corrections", new { originalSequence = draw.Sequence, reason = "Drawn from the wrong vial; nothing left the vial." }));
        Assert.Equal("correction", correction.Kind);
        Assert.Equal(500_000, await ContainerBalanceAsync(container));
        var twice = await ProblemAsync(await physician.PostAsJsonAsync("/api/ledger/corrections", new { originalSequence = draw.Sequence, reason = "again" }), HttpStatusCode.BadRequest);
        Assert.Contains("already reversed", twice.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var journal = (await physician.GetFromJsonAsync<List<LedgerEntryView>>($"/api/ledger/entries?before={correction.Sequence + 1}&take=50", Json))!;
        var original = journal.Single(e => e.Sequence == draw.Sequence);
        Assert.Equal(correction.Sequence, original.ReversedBy);
        Assert.Equal(draw.Hash, original.Hash);

        await using var db = App.NewDbContext();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlAsync($"UPDATE ledger_entries SET kind = 'x' WHERE sequence = {draw.Sequence}"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlAsync($"DELETE FROM ledger_entries WHERE sequence = {draw.Sequence}"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM controlled_products"));
        Assert.Equal("draw", (await db.LedgerEntries.SingleAsync(e => e.Sequence == draw.Sequence)).Kind);
    }

    [Fact]
    public async Task Reports_filter_by_date_product_patient_and_person_and_come_as_csv_and_printable_html()
    {
        var container = (await ReceiveAsync(App, "0409-2053-10", 1))[0];
        var (sessionId, patientId) = await SessionAsync(App);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var draw = await OkAsync(await physician.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 0.4m, unit = "mL" } }));
        await OkAsync(await physician.PostAsJsonAsync("/api/ledger/administrations", new { sessionId, drawSequence = draw.Sequence, amount = new { value = 40, unit = "mg" } }));
        var reference = await ReferenceAsync(physician);
        var im = reference.Products.Single(p => p.Ndc == "0409-2053-10");
        var iv = reference.Products.Single(p => p.Ndc == "0409-2051-05");
        var today = DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays((int)(TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalDays);
        var from = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        async Task<LedgerReportTable> Report(string query) => (await admin.GetFromJsonAsync<LedgerReportTable>("/api/ledger/reports/administrations?" + query, Json))!;
        var byPatient = await Report($"from={from}&to={to}&patientId={patientId}");
        var entryColumn = byPatient.Columns.ToList().IndexOf("Entry #");
        Assert.Contains(byPatient.Rows, r => r[entryColumn] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));
        var mrnColumn = byPatient.Columns.ToList().IndexOf("MRN");
        Assert.Single(byPatient.Rows.Select(r => r[mrnColumn]).Distinct());
        Assert.DoesNotContain((await Report($"from={from}&to={to}&productId={iv.Id}")).Rows, r => r[entryColumn] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Contains((await Report($"from={from}&to={to}&productId={im.Id}")).Rows, r => r[entryColumn] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Contains((await Report($"from={from}&to={to}&person=physician@demo.clinic")).Rows, r => r[entryColumn] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain((await Report($"from={from}&to={to}&person=nurse2@demo.clinic")).Rows, r => r[entryColumn] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));
        var lastYear = today.AddYears(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.DoesNotContain((await Report($"from={lastYear}&to={lastYear}")).Rows, r => r[entryColumn] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));

        var csv = await admin.GetAsync($"/api/ledger/reports/administrations?format=csv&from={from}&to={to}&patientId={patientId}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("Administered at,Patient,MRN,Address", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("\"Ketamine HCl 100 mg/mL, 5 mL vial (NDC 0409-2053-10)\"", text, StringComparison.Ordinal);
        var html = await (await admin.GetAsync($"/api/ledger/reports/administrations?format=html&from={from}&to={to}")).Content.ReadAsStringAsync();
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("Dispensing and administration log", html, StringComparison.Ordinal);

        var balance = (await admin.GetFromJsonAsync<LedgerReportTable>($"/api/ledger/reports/product-balance?productId={im.Id}&from={from}&to={to}", Json))!;
        Assert.Equal("opening balance", balance.Rows[0][2]);
        Assert.Contains(balance.Rows, r => r[0] == draw.Sequence.ToString(CultureInfo.InvariantCulture) || r[0] == (draw.Sequence + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/ledger/reports/patient-history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/ledger/reports/no-such-report")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ClientForAsync(ClinicRoles.FrontDesk)).GetAsync("/api/ledger/reports/administrations")).StatusCode);

        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == LedgerReportService.ReportRecord && a.UserName == "admin@demo.clinic" && a.PatientId == patientId));
    }

    [Fact]
    public void Csv_quotes_commas_quotes_and_line_breaks_and_defuses_formulas()
    {
        Assert.Equal("plain", LedgerReportService.Csv("plain"));
        Assert.Equal("\"a, b\"", LedgerReportService.Csv("a, b"));
        Assert.Equal("\"say \"\"hi\"\"\"", LedgerReportService.Csv("say \"hi\""));
        Assert.Equal("\"two\nlines\"", LedgerReportService.Csv("two\nlines"));
        Assert.Equal("'=SUM(A1)", LedgerReportService.Csv("=SUM(A1)"));
        Assert.Equal("-5", LedgerReportService.Csv("-5"));
    }

    [Fact]
    public async Task A_loss_is_tracked_with_its_notice_and_form_106_deadlines_until_both_are_filed()
    {
        var container = (await ReceiveAsync(App, "0409-2051-05", 1))[0];
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var discovered = DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays((int)(TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalDays - 60);
        var loss = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/losses", new
        {
            lossKind = "theft",
            discoveredOn = discovered,
            circumstances = "Vial missing from the cabinet at the morning count; cabinet lock intact.",
            lines = new[] { new { containerId = container, amount = (object?)null } },
        }));
        Assert.Equal(0, await ContainerBalanceAsync(container));
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var alerts = (await admin.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!;
        Assert.Contains(alerts, a => a.Key == $"loss:{loss.Sequence}:notice" && a.Kind == "loss-notice-overdue");
        Assert.Contains(alerts, a => a.Key == $"loss:{loss.Sequence}:form106" && a.Kind == "form106-overdue");
        var losses = (await admin.GetFromJsonAsync<LedgerReportTable>("/api/ledger/reports/losses", Json))!;
        var row = losses.Rows.Single(r => r[0] == loss.Sequence.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("OVERDUE", row[8]);
        Assert.Equal(discovered.AddDays(45).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row[9]);

        await OkAsync(await admin.PostAsJsonAsync($"/api/ledger/losses/{loss.Sequence}/reports", new { report = "WrittenNotice", filedOn = discovered.AddDays(1), reference = "Letter to DEA Chicago FO" }));
        await OkAsync(await admin.PostAsJsonAsync($"/api/ledger/losses/{loss.Sequence}/reports", new { report = "Form106", reference = "Form 106 #A1" }));
        alerts = (await admin.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!;
        Assert.DoesNotContain(alerts, a => a.LossSequence == loss.Sequence);
        row = (await admin.GetFromJsonAsync<LedgerReportTable>("/api/ledger/reports/losses", Json))!.Rows.Single(r => r[0] == loss.Sequence.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("filed late", row[11]);
    }

    [Fact]
    public async Task A_count_that_differs_from_the_ledger_raises_an_alert_until_someone_who_did_not_count_resolves_it()
    {
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var safe = await StorageAsync(nurse, "Main safe");
        var stock = (await nurse.GetFromJsonAsync<StockView>("/api/ledger/stock", Json))!;
        var inSafe = stock.Containers.Where(c => c.StorageLocationId == safe.Id && c.BalanceMcg > 0).ToList();
        Assert.NotEmpty(inSafe);
        var lines = inSafe.Select((c, i) => new
        {
            containerId = c.Id,
            counted = new { value = (i == 0 ? c.BalanceMcg - 10_000 : c.BalanceMcg) / 1000m, unit = "mg" },
            estimated = false,
        }).ToList();
        var count = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/counts", new { countKind = "Daily", storageLocationId = safe.Id, lines }));
        Assert.Contains("1 discrepancy", count.Summary, StringComparison.Ordinal);

        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var alert = (await admin.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!.Single(a => a.CountSequence == count.Sequence);
        Assert.Equal("resolve", alert.Action);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.GetAsync("/api/ledger/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync("/api/ledger/discrepancies/resolve", new { countSequence = count.Sequence, index = 0, reason = "x" })).StatusCode);
        Assert.True((await ProblemAsync(await admin.PostAsJsonAsync("/api/ledger/discrepancies/resolve", new { countSequence = count.Sequence, index = 0 }), HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _));
        await OkAsync(await admin.PostAsJsonAsync("/api/ledger/discrepancies/resolve", new { countSequence = count.Sequence, index = 0, reason = "Miscount: recounted with the physician, the vial holds what the ledger says." }));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!, a => a.CountSequence == count.Sequence);
        var inventory = (await admin.GetFromJsonAsync<LedgerReportTable>("/api/ledger/reports/inventory", Json))!;
        Assert.Contains(inventory.Rows, r => r[0] == count.Sequence.ToString(CultureInfo.InvariantCulture) && r[^1].StartsWith("resolved by Alex Admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registration_about_to_expire_is_shown_to_the_administrator_until_acknowledged_with_a_reason()
    {
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        await using var db = App.NewDbContext();
        var location = await db.Locations.AsNoTracking().FirstAsync();
        var today = DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays((int)(TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalDays);
        var bad = await ProblemAsync(await admin.PostAsJsonAsync("/api/ledger/registrations", new { locationId = location.Id, number = "AB1234560", registrantName = "Dr. X", schedules = Schedules3, validFrom = today, expiresOn = today.AddDays(20) }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("number", out _));
        var number = KetaClinic.App.Demo.DemoLedger.Dea("FX", 9, 1, 8, 2, 7, 3);
        var created = await admin.PostAsJsonAsync("/api/ledger/registrations", new { locationId = location.Id, number, registrantName = "Dr. Second Site", schedules = Schedules34, validFrom = today.AddYears(-3), expiresOn = today.AddDays(20) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var registration = (await created.Content.ReadFromJsonAsync<RegistrationView>(Json))!;
        Assert.Equal("ExpiringSoon", registration.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ClientForAsync(ClinicRoles.Nurse)).PostAsJsonAsync("/api/ledger/registrations", new { locationId = location.Id })).StatusCode);

        var alert = (await admin.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!.Single(a => a.RegistrationId == registration.Id);
        Assert.Equal("registration-expiring", alert.Kind);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        Assert.Contains((await physician.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!, a => a.RegistrationId == registration.Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/ledger/alerts/acknowledge", new { key = alert.Key, reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/ledger/alerts/acknowledge", new { key = alert.Key, reason = "Renewal filed online on " + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })).StatusCode);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<LedgerAlertView>>("/api/ledger/alerts", Json))!, a => a.RegistrationId == registration.Id);
        Assert.Equal(1, await db.LedgerAlertAcknowledgements.CountAsync(a => a.AlertKey == alert.Key));
    }

    [Fact]
    public async Task The_balance_at_any_past_instant_matches_a_replay_of_the_ledger_up_to_it()
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        await using var db = App.NewDbContext();
        var entries = (await db.LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).Select(LedgerRows.ToEntry).ToList();
        var products = (await ReferenceAsync(physician)).Products;
        foreach (var instant in new[] { entries[entries.Count / 3].RecordedAt, entries[(2 * entries.Count) / 3].RecordedAt.AddSeconds(1), entries[0].RecordedAt.AddDays(-1) })
        {
            var expected = LedgerState.AsOf(entries, instant);
            foreach (var product in products)
            {
                var at = Uri.EscapeDataString(instant.ToString("o", CultureInfo.InvariantCulture));
                var view = (await physician.GetFromJsonAsync<BalanceAtView>($"/api/ledger/balance?productId={product.Id}&at={at}", Json))!;
                Assert.Equal(expected.OnHandByFlows(product.Id).Micrograms, view.OnHandMcg);
            }
        }
    }

    [Fact]
    public async Task The_session_module_records_doses_through_the_seam_and_the_patient_must_be_the_sessions()
    {
        var container = (await ReceiveAsync(App, "0409-2051-05", 1))[0];
        var (sessionId, patientId) = await NewSessionAsync(App);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var draw = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 0.8m, unit = "mL" } }));
        var seam = App.Services.GetRequiredService<IControlledSubstanceAdministrations>();
        await using var db = App.NewDbContext();
        var nurseUser = await db.Users.SingleAsync(u => u.Email == "nurse@demo.clinic");
        var actor = new Actor(nurseUser.Id, nurseUser.Email!, [ClinicRoles.Nurse], "127.0.0.1");
        var other = await db.Patients.Where(p => p.Id != patientId).Select(p => p.Id).FirstAsync();
        var wrong = await seam.RecordAdministrationAsync(new AdministrationFromSession(sessionId, other, draw.Sequence, Guid.NewGuid(), MeasuredAmount.Milligrams(40), nurseUser.Id, TimeProvider.System.GetUtcNow()), actor, default);
        Assert.Equal("patientId", Assert.Single(wrong.Errors).Field);
        var dosing = Guid.NewGuid();
        var given = await seam.RecordAdministrationAsync(new AdministrationFromSession(sessionId, patientId, draw.Sequence, dosing, MeasuredAmount.Milligrams(40), nurseUser.Id, TimeProvider.System.GetUtcNow()), actor, default);
        Assert.True(given.IsOk, string.Join("; ", given.Errors.Select(e => e.Field + " " + e.Message)));
        Assert.True((await seam.CloseSessionDrawsAsync(sessionId, actor, default)).IsOk);
        var stored = LedgerRows.ToEntry(await db.LedgerEntries.SingleAsync(e => e.Sequence == given.Value!.Sequence));
        Assert.Equal(dosing, ((Administration)stored.Event).DosingRecordId);
    }

    [Fact]
    public async Task Draws_left_open_at_the_end_of_the_day_are_listed()
    {
        var container = (await ReceiveAsync(App, "0409-2051-05", 1))[0];
        var (sessionId, _) = await SessionAsync(App);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var draw = await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 0.2m, unit = "mL" } }));
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var open = (await physician.GetFromJsonAsync<OpenDrawsView>("/api/ledger/open-draws", Json))!;
        Assert.Contains(open.OpenDraws, d => d.Sequence == draw.Sequence);
        await OkAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", new { drawSequence = draw.Sequence, amount = new { value = 10, unit = "mg" }, manner = "sink", witness = Witness("nurse2@demo.clinic") }));
        open = (await physician.GetFromJsonAsync<OpenDrawsView>("/api/ledger/open-draws", Json))!;
        Assert.DoesNotContain(open.OpenDraws, d => d.Sequence == draw.Sequence);
    }

    [Fact]
    public async Task Destruction_needs_two_witnesses_who_sign_in_and_return_to_supplier_empties_the_containers()
    {
        var containers = await ReceiveAsync(App, "0409-2053-10", 2);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var one = await ProblemAsync(await physician.PostAsJsonAsync("/api/ledger/destructions", new
        {
            containerIds = new[] { containers[0] }, method = "Reverse distributor incineration", form41Reference = "F41-1", witnesses = new[] { Witness("nurse@demo.clinic") },
        }), HttpStatusCode.BadRequest);
        Assert.True(one.GetProperty("errors").TryGetProperty("witnesses", out _));
        var same = await ProblemAsync(await physician.PostAsJsonAsync("/api/ledger/destructions", new
        {
            containerIds = new[] { containers[0] }, method = "Reverse distributor incineration", form41Reference = "F41-1", witnesses = new[] { Witness("nurse@demo.clinic"), Witness("nurse@demo.clinic") },
        }), HttpStatusCode.BadRequest);
        Assert.True(same.GetProperty("errors").TryGetProperty("witnesses[1]", out _));
        var destroyed = await OkAsync(await physician.PostAsJsonAsync("/api/ledger/destructions", new
        {
            containerIds = new[] { containers[0] }, method = "Reverse distributor incineration", form41Reference = "F41-1", witnesses = new[] { Witness("nurse@demo.clinic"), Witness("nurse2@demo.clinic") },
        }));
        Assert.Contains("witnessed by Sam Okafor, RN and Maria Chen, RN", destroyed.Summary, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ClientForAsync(ClinicRoles.Nurse)).PostAsJsonAsync("/api/ledger/returns", new { containerIds = new[] { containers[1] } })).StatusCode);
        await OkAsync(await physician.PostAsJsonAsync("/api/ledger/returns", new
        {
            containerIds = new[] { containers[1] }, supplier = new { name = "Test Distributor", address = "1 Test Way", deaNumber = DemoDea }, reference = "RMA-9", reason = "Recall",
        }));
        var disposals = (await physician.GetFromJsonAsync<LedgerReportTable>("/api/ledger/reports/disposals", Json))!;
        Assert.Contains(disposals.Rows, r => r[0] == destroyed.Sequence.ToString(CultureInfo.InvariantCulture) && r[2] == "destruction" && r[11] == "F41-1");
    }
}

public sealed class LedgerTests_Sqlite(SqliteApp f) : LedgerTests(f), IClassFixture<SqliteApp>;

public sealed class LedgerTests_Postgres(PostgresApp f) : LedgerTests(f), IClassFixture<PostgresApp>;

/// <summary>Tampering and settings need their own databases.</summary>
public sealed class LedgerDatabaseTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Tampering_with_a_stored_ledger_entry_makes_ledger_verify_fail_at_that_entry(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var app = new ClinicAppFactory(database, demoPatients: 6))
        {
            _ = app.Server;
            await using var db = app.NewDbContext();
            var third = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.Sequence == 3);
            Assert.Contains("\"containerId\"", third.Payload, StringComparison.Ordinal);
            // Someone with direct database access removes the protection and rewrites entry 3.
            if (provider == Provider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER ledger_entries_no_update");
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_update");
            }
            await db.Database.ExecuteSqlRawAsync("UPDATE ledger_entries SET recorded_by = 'someone-else' WHERE sequence = 3");
        }
        var output = new StringWriter();
        var code = await CliProgram.RunAsync(["ledger", "verify", "--provider", database.ProviderSetting, "--connection", database.ConnectionString], new StringReader(""), output, new StringWriter());
        Assert.Equal(1, code);
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.False(report.GetProperty("intact").GetBoolean());
        Assert.Equal(3, report.GetProperty("firstBrokenSequence").GetInt64());
    }

    [Fact]
    public async Task Ledger_verify_on_an_empty_clinic_is_intact_and_bad_usage_exits_2()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        new DatabaseMigrator(new DatabaseSettings(DatabaseProvider.Sqlite, database.ConnectionString), Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).Migrate();
        var output = new StringWriter();
        Assert.Equal(0, await CliProgram.RunAsync(["ledger", "verify", "--provider", "sqlite", "--connection", database.ConnectionString], new StringReader(""), output, new StringWriter()));
        Assert.Equal(0, JsonDocument.Parse(output.ToString()).RootElement.GetProperty("entriesChecked").GetInt64());
        var error = new StringWriter();
        Assert.Equal(2, await CliProgram.RunAsync(["ledger", "check"], new StringReader(""), new StringWriter(), error));
        Assert.Contains("ledger verify", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Which_roles_may_witness_is_a_clinic_setting()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        await using var app = new ClinicAppFactory(database, demoPatients: 4, new Dictionary<string, string> { ["ControlledSubstances:Roles:Witness"] = "Physician" });
        var container = (await LedgerTests.ReceiveAsync(app, "0409-2051-05", 1))[0];
        var (sessionId, _) = await LedgerTests.SessionAsync(app);
        var nurse = await app.ClientForAsync(ClinicRoles.Nurse);
        var draw = await LedgerTests.OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 0.2m, unit = "mL" } }));
        object Waste(string witness) => new { drawSequence = draw.Sequence, amount = new { value = 0.2m, unit = "mL" }, manner = "sink", witness = LedgerTests.Witness(witness) };
        var refused = await LedgerTests.ProblemAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", Waste("nurse2@demo.clinic")), HttpStatusCode.BadRequest);
        Assert.Contains("no role", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await LedgerTests.OkAsync(await nurse.PostAsJsonAsync("/api/ledger/wastes", Waste("physician@demo.clinic")));
        var me = await (await app.ClientForAsync(ClinicRoles.Nurse)).GetFromJsonAsync<JsonElement>("/api/me");
        Assert.DoesNotContain(me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()), p => p == LedgerPermissions.Witness);
    }

    [Fact]
    public void An_unknown_role_or_permission_in_the_ledger_roles_setting_stops_the_start()
    {
        var typo = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(),
            new Dictionary<string, string?> { ["ControlledSubstances:Roles:Witness"] = "Physician,Nurses" }).Build();
        Assert.Contains("Nurses", Assert.Throws<InvalidOperationException>(() => { _ = PermissionGrants.From(typo); }).Message, StringComparison.Ordinal);
        var unknown = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(),
            new Dictionary<string, string?> { ["ControlledSubstances:Roles:Dispense"] = "Physician" }).Build();
        Assert.Contains("Dispense", Assert.Throws<InvalidOperationException>(() => { _ = PermissionGrants.From(unknown); }).Message, StringComparison.Ordinal);
        var defaults = PermissionGrants.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.False(defaults.Allows(LedgerPermissions.Draw, [ClinicRoles.Administrator]));
        Assert.False(defaults.Allows(LedgerPermissions.Witness, [ClinicRoles.FrontDesk]));
        Assert.True(defaults.Allows(LedgerPermissions.ViewReports, [ClinicRoles.Administrator]));
    }
}
