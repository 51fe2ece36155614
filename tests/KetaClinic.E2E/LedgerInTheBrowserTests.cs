using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

public sealed partial class LedgerInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    [Fact]
    public async Task A_nurse_receives_draws_gives_and_wastes_with_a_witness_and_the_administrator_sees_the_balance_and_the_log()
    {
        var (sessionId, patientName) = await KetamineSessionAsync();
        Directory.CreateDirectory("screenshots");

        // The nurse receives a vial, checked by a second nurse who signs in with her own password.
        var nurse = await clinic.SignedInAsync("nurse@demo.clinic");
        await nurse.GotoAsync("/ledger/receive");
        await nurse.SelectOptionAsync("[data-testid=receipt-storage]", new SelectOptionValue { Label = "Treatment room cabinet (Riverside Ketamine Clinic)" });
        await nurse.FillAsync("[data-testid=supplier-name]", "Midwest Pharmaceutical Distributors");
        await nurse.FillAsync("[data-testid=supplier-address]", "1200 Commerce Parkway, Peoria, IL 61602");
        await nurse.FillAsync("[data-testid=supplier-dea]", "RM5418264");
        await nurse.FillAsync("[data-testid=receipt-invoice]", "INV-E2E-1");
        await nurse.SelectOptionAsync("[data-testid=line-product-0]", new SelectOptionValue { Label = "Ketamine HCl 50 mg/mL, 10 mL vial (NDC 0409-2051-05)" });
        await nurse.FillAsync("[data-testid=line-lot-0]", "E2E-LOT-1");
        await nurse.FillAsync("[data-testid=line-expires-0]", "2030-06-30");
        await nurse.FillAsync("[data-testid=line-count-0]", "1");
        await nurse.FillAsync("[data-testid=verifier-email]", "nurse2@demo.clinic");
        await nurse.FillAsync("[data-testid=verifier-password]", RunningClinic.Password);
        await nurse.ClickAsync("[data-testid=receipt-submit]");
        var saved = nurse.Locator("[data-testid=receipt-saved]");
        await Assertions.Expect(saved).ToContainTextAsync("verified by Maria Chen, RN");
        var label = LabelPattern().Match(await saved.InnerTextAsync()).Groups[1].Value;
        Assert.Matches("^[0-9]+-1$", label);

        // She draws 1 mL for the session, gives 40 mg and wastes the rest with the second nurse as witness.
        await nurse.GotoAsync($"/ledger/sessions/{sessionId}");
        await Assertions.Expect(nurse.Locator("h1")).ToContainTextAsync(patientName);
        var option = nurse.Locator("[data-testid=draw-container] option", new() { HasTextString = "E2E-LOT-1" });
        await nurse.SelectOptionAsync("[data-testid=draw-container]", (await option.GetAttributeAsync("value"))!);
        await nurse.SelectOptionAsync("[data-testid=draw-amount-unit]", "mL");
        await nurse.FillAsync("[data-testid=draw-amount]", "1");
        await nurse.ClickAsync("[data-testid=draw-submit]");
        await Assertions.Expect(nurse.Locator("[data-testid=session-status]")).ToContainTextAsync("Drew 1 mL (50 mg)");
        var card = nurse.Locator("article.draw-card.open", new() { HasTextString = $"container {label}" });
        await Assertions.Expect(card).ToHaveCountAsync(1);
        var sequence = (await card.GetAttributeAsync("data-testid"))!["draw-".Length..];

        await nurse.FillAsync($"[data-testid=give-amount-{sequence}]", "40");
        await nurse.ClickAsync($"[data-testid=give-submit-{sequence}]");
        await Assertions.Expect(card.Locator("[data-testid=draw-remaining]")).ToHaveTextAsync("left 0.2 mL (10 mg)");

        // A wrong password is refused beside the field and nothing is recorded.
        await nurse.FillAsync($"[data-testid=waste-amount-{sequence}]", "0.2");
        await nurse.FillAsync($"[data-testid=waste-witness-{sequence}-email]", "nurse2@demo.clinic");
        await nurse.FillAsync($"[data-testid=waste-witness-{sequence}-password]", "not-her-password");
        await nurse.ClickAsync($"[data-testid=waste-submit-{sequence}]");
        await Assertions.Expect(card.Locator("fieldset.witness .field-error")).ToContainTextAsync("not correct");
        await Assertions.Expect(card.Locator("[data-testid=draw-remaining]")).ToHaveTextAsync("left 0.2 mL (10 mg)");

        await nurse.FillAsync($"[data-testid=waste-witness-{sequence}-password]", RunningClinic.Password);
        await nurse.ClickAsync($"[data-testid=waste-submit-{sequence}]");
        await Assertions.Expect(nurse.Locator("[data-testid=session-status]")).ToContainTextAsync("witnessed by Maria Chen, RN");
        await Assertions.Expect(nurse.Locator($"[data-testid=draw-{sequence}]")).ToHaveClassAsync(new Regex("closed"));
        await nurse.ClickAsync("[data-testid=close-check]");
        await Assertions.Expect(nurse.Locator("[data-testid=close-check-result]")).ToContainTextAsync("fully administered or wasted");
        await nurse.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "ledger-session.png"), FullPage = true });

        // The administrator sees the container's running balance and the administration log.
        var admin = await clinic.SignedInAsync("admin@demo.clinic");
        await admin.GotoAsync("/ledger");
        await Assertions.Expect(admin.Locator($"[data-testid=container-{label}] [data-testid=container-balance]")).ToHaveTextAsync("9 mL (450 mg)");
        await Assertions.Expect(admin.Locator("[data-testid=balances] [data-testid=balance-row]").First).ToBeVisibleAsync();
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "ledger-balances.png"), FullPage = true });

        await admin.GotoAsync("/ledger/reports");
        await Assertions.Expect(admin.Locator("[data-testid=report-title]")).ToHaveTextAsync("Dispensing and administration log");
        var row = admin.Locator("[data-testid=report-table] [data-testid=report-row]", new() { HasTextString = "E2E-LOT-1" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(patientName);
        await Assertions.Expect(row).ToContainTextAsync("0.8 mL (40 mg)");
        await Assertions.Expect(row).ToContainTextAsync("Sam Okafor, RN");

        await admin.SelectOptionAsync("[data-testid=report-kind]", "container-balance");
        await admin.ClickAsync("[data-testid=report-run]");
        await Assertions.Expect(admin.Locator("[data-testid=report-title]")).ToHaveTextAsync("Running balance per container");
        var containerRows = admin.Locator("[data-testid=report-table] [data-testid=report-row]", new() { HasTextString = "E2E-LOT-1" });
        await Assertions.Expect(containerRows.Last).ToContainTextAsync("9 mL (450 mg)");
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "ledger-reports.png"), FullPage = true });

        var printable = await admin.Locator("[data-testid=report-print]").GetAttributeAsync("href");
        var print = await admin.Context.NewPageAsync();
        await print.GotoAsync("/" + printable);
        await Assertions.Expect(print.Locator("h1")).ToContainTextAsync("Running balance per container");
        await Assertions.Expect(print.Locator("table")).ToContainTextAsync("E2E-LOT-1");
        await nurse.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    /// <summary>A demo session on a ketamine route (not esketamine) that is not cancelled, from the API.</summary>
    private async Task<(string Id, string PatientName)> KetamineSessionAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(clinic.BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email = "nurse@demo.clinic", password = RunningClinic.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        for (var d = 0; d < 60; d++)
        {
            foreach (var day in new[] { today.AddDays(d), today.AddDays(-d) })
            {
                var sessions = await http.GetFromJsonAsync<List<JsonElement>>($"/api/ledger/sessions?day={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
                var s = sessions!.FirstOrDefault(x => x.GetProperty("route").GetString() is "iv" or "im");
                if (s.ValueKind == JsonValueKind.Object)
                {
                    return (s.GetProperty("id").GetString()!, s.GetProperty("patientName").GetString()!);
                }
            }
        }
        throw new InvalidOperationException("No demo session on a ketamine route.");
    }

    [GeneratedRegex(@"Label the containers ([0-9]+-[0-9]+)")]
    private static partial Regex LabelPattern();
}
