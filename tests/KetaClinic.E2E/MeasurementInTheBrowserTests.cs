using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

public sealed class MeasurementInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    [Fact]
    public async Task A_patient_completes_a_phq9_on_a_phone_and_the_physician_sees_the_score_the_chart_and_a_live_alert_to_acknowledge()
    {
        var (patientId, family) = await RegisterPatientAsync();

        // The physician keeps the alert list open: the alert must appear there without a reload.
        var physician = await clinic.SignedInAsync("physician@demo.clinic");
        await physician.GotoAsync("/alerts");
        await Assertions.Expect(physician.Locator("h1")).ToHaveTextAsync("Safety alerts");
        await physician.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // The front desk hands a PHQ-9 link over.
        var desk = await clinic.SignedInAsync("frontdesk@demo.clinic");
        await desk.GotoAsync($"/patients/{patientId}");
        await desk.SelectOptionAsync("[data-testid=link-instrument]", "phq9");
        await desk.ClickAsync("[data-testid=issue-link]");
        var url = await desk.Locator("[data-testid=issued-link-url]").First.InnerTextAsync();
        Assert.Matches("/q/[A-Za-z0-9_-]{43}$", url);
        await Assertions.Expect(desk.Locator("[data-testid=link-state]").First).ToHaveTextAsync("open");
        var path = new Uri(url).AbsolutePath;

        // The patient, on a phone, with no account.
        await using var phoneContext = await clinic.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = clinic.BaseUrl,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        var phone = await phoneContext.NewPageAsync();
        phone.SetDefaultTimeout(60_000);
        await phone.GotoAsync(path);
        await Assertions.Expect(phone.Locator("[data-testid=questionnaire-title]")).ToContainTextAsync("PHQ-9");
        Assert.DoesNotContain(family, await phone.ContentAsync(), StringComparison.Ordinal);
        // Leave one question out first: the form says which, and keeps the other answers.
        int[] answers = [2, 2, 1, 2, 1, 1, 2, 1, 1];
        for (var i = 1; i <= 8; i++)
        {
            await phone.CheckAsync($"#a-{i}-{answers[i - 1]}");
        }
        await phone.ClickAsync("[data-testid=questionnaire-submit]");
        await Assertions.Expect(phone.Locator("[data-testid=item-9] .field-error")).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("#a-4-2")).ToBeCheckedAsync();
        await phone.CheckAsync("#a-9-1");
        await phone.ClickAsync("[data-testid=questionnaire-submit]");
        await Assertions.Expect(phone.Locator("[data-testid=questionnaire-done]")).ToContainTextAsync("988");
        Directory.CreateDirectory("screenshots");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "phone-questionnaire-done.png"), FullPage = true });
        // The link works once.
        await phone.GotoAsync(path);
        await Assertions.Expect(phone.Locator("[data-testid=questionnaire-unavailable]")).ToContainTextAsync("already been used");

        // The alert arrives on the physician's open page by itself.
        var card = physician.Locator("[data-testid=alert-list] article", new() { HasTextString = family });
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(card.Locator("[data-testid=alert-message]")).ToContainTextAsync("item 9");

        // The score, its severity and the chart on the patient's outcome page.
        await card.Locator("[data-testid=alert-patient]").ClickAsync();
        await physician.WaitForURLAsync(u => u.EndsWith($"/patients/{patientId}/outcomes", StringComparison.Ordinal), RunningClinic.Navigation);
        await Assertions.Expect(physician.Locator("[data-testid=responses-phq9] [data-testid=response-total]").First).ToHaveTextAsync("13");
        await Assertions.Expect(physician.Locator("[data-testid=chart-phq9] svg circle")).ToHaveCountAsync(1);
        await Assertions.Expect(physician.Locator("[data-testid=chart-phq9] svg rect.band")).ToHaveCountAsync(5);

        // It stays until a physician records what was done.
        var alertOnPage = physician.Locator("article.safety-alert.open");
        await Assertions.Expect(alertOnPage).ToHaveCountAsync(1);
        await alertOnPage.Locator("[data-testid=ack-submit]").ClickAsync();
        await Assertions.Expect(alertOnPage.Locator(".field-error")).ToContainTextAsync("required");
        await alertOnPage.Locator("[data-testid=ack-action]").SelectOptionAsync("safety-plan");
        await alertOnPage.Locator("[data-testid=ack-note]").FillAsync("Passive thoughts, no plan; safety plan reviewed by phone.");
        await physician.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "patient-outcomes-alert.png"), FullPage = true });
        await alertOnPage.Locator("[data-testid=ack-submit]").ClickAsync();
        await Assertions.Expect(physician.Locator("article.safety-alert.open")).ToHaveCountAsync(0);

        await physician.GotoAsync("/alerts");
        await Assertions.Expect(physician.Locator("[data-testid=alert-list] article", new() { HasTextString = family })).ToHaveCountAsync(0);
        await physician.Context.CloseAsync();
        await desk.Context.CloseAsync();
    }

    [Fact]
    public async Task The_demo_clinic_shows_charts_and_a_dashboard_with_rates_and_intervals()
    {
        var physician = await clinic.SignedInAsync("physician@demo.clinic");
        await physician.GotoAsync("/outcomes");
        await Assertions.Expect(physician.Locator("[data-testid=kpi-response]")).ToContainTextAsync("%");
        var courses = int.Parse(await physician.Locator("[data-testid=kpi-courses]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(courses > 5, $"the demo clinic should have treatment courses, found {courses}");
        await Assertions.Expect(physician.Locator("[data-testid=dashboard-by-route] tbody tr").First).ToBeVisibleAsync();
        Directory.CreateDirectory("screenshots");
        await physician.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "outcome-dashboard.png"), FullPage = true });

        // A treated demo patient: chart with sessions marked and a status sentence.
        var id = await TreatedPatientAsync();
        await physician.GotoAsync($"/patients/{id}/outcomes");
        await Assertions.Expect(physician.Locator("[data-testid=status-phq9]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Response since|Remission since|No response yet|Relapse on"));
        Assert.True(await physician.Locator("[data-testid=chart-phq9] svg circle").CountAsync() >= 3);
        Assert.True(await physician.Locator("[data-testid=chart-phq9] svg .session-mark").CountAsync() >= 3);
        await physician.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "patient-outcome-chart.png"), FullPage = true });
        await physician.Context.CloseAsync();
    }

    private async Task<string> TreatedPatientAsync()
    {
        using var http = await clinic.ApiAsync("physician@demo.clinic");
        var patients = await http.GetFromJsonAsync<List<JsonElement>>("/api/patients?q=a&take=200");
        foreach (var p in patients!)
        {
            var id = p.GetProperty("id").GetString()!;
            var outcomes = await http.GetFromJsonAsync<JsonElement>($"/api/patients/{id}/outcomes");
            if (outcomes.GetProperty("course").ValueKind == JsonValueKind.Object
                && outcomes.GetProperty("instruments").EnumerateArray().Any(i => i.GetProperty("instrumentId").GetString() == "phq9" && i.GetProperty("responses").GetArrayLength() >= 4))
            {
                return id;
            }
        }
        throw new InvalidOperationException("No demo patient with a treatment course and scores.");
    }

    private async Task<(string Id, string Family)> RegisterPatientAsync()
    {
        using var http = await clinic.ApiAsync("frontdesk@demo.clinic");
        var family = "Phoneuser" + Guid.NewGuid().ToString("N")[..5];
        var created = await http.PostAsJsonAsync("/api/patients", new { legalGivenName = "Rosa", legalFamilyName = family, dateOfBirth = "1990-06-01", sex = "female", phone = "+1 217 555 0190" });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, family);
    }
}
