using System.Text.Json;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

public sealed class BookingInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    [Fact]
    public async Task A_physician_plans_and_books_an_induction_series_sees_it_on_the_day_board_and_in_the_patients_calendar_feed()
    {
        Directory.CreateDirectory("screenshots");
        var physician = await clinic.SignedInAsync("physician@demo.clinic");

        // The demo patient who is eligible and consented but has no plan yet.
        var search = await physician.APIRequest.GetAsync("/api/patients?q=Planwell");
        Assert.True(search.Ok, await search.TextAsync());
        using var found = JsonDocument.Parse(await search.TextAsync());
        var patientId = found.RootElement[0].GetProperty("id").GetString()!;

        // 1. The plan: IV racemic ketamine at the protocol's default dose, calculated from her latest weight.
        await physician.GotoAsync($"/patients/{patientId}");
        await physician.ClickAsync("[data-testid=open-plan]");
        await physician.WaitForURLAsync(url => url.EndsWith("/plan", StringComparison.Ordinal), RunningClinic.Navigation);
        await Assertions.Expect(physician.Locator("[data-testid=new-plan]")).ToBeVisibleAsync();
        await physician.SelectOptionAsync("[data-testid=plan-protocol]", "iv-racemic-ketamine");
        await physician.ClickAsync("[data-testid=create-plan]");
        var plan = physician.Locator("[data-testid=plan]");
        await Assertions.Expect(plan).ToHaveCountAsync(1);
        await Assertions.Expect(plan.Locator("[data-testid=current-dose]")).ToHaveTextAsync("0.5 mg/kg");
        await Assertions.Expect(plan.Locator("[data-testid=next-dose]")).ToContainTextAsync("mg/kg × 71.4 kg");

        // 2. The whole induction series, proposed from the clinic's calendar, then confirmed.
        await physician.ClickAsync("[data-testid=propose-series]");
        await Assertions.Expect(physician.Locator("[data-testid=series-proposal] tbody tr")).ToHaveCountAsync(6);
        await physician.ScreenshotAsync(new() { Path = "screenshots/booking-proposal.png", FullPage = true });
        await physician.ClickAsync("[data-testid=confirm-series]");
        await Assertions.Expect(physician.Locator("[data-testid=series-booked]")).ToContainTextAsync("Booked 6 sessions");
        await Assertions.Expect(plan.Locator("[data-testid=plan-sessions] tbody tr")).ToHaveCountAsync(6);

        // 3. The day board of the first session shows her in a chair.
        await physician.ClickAsync("[data-testid=open-board]");
        await physician.WaitForURLAsync(url => url.Contains("/schedule", StringComparison.Ordinal), RunningClinic.Navigation);
        var mine = physician.Locator($"[data-testid=board-session][data-patient='{patientId}']");
        await Assertions.Expect(mine).ToHaveCountAsync(1);
        await Assertions.Expect(mine).ToContainTextAsync("Nora Planwell");
        await Assertions.Expect(mine).ToContainTextAsync("#1");
        await physician.ScreenshotAsync(new() { Path = "screenshots/day-board.png", FullPage = true });

        // 4. Her calendar feed: six sessions, the pre-visit rules, no clinical details, fetched without an account.
        await physician.GotoAsync($"/patients/{patientId}/plan");
        await physician.ClickAsync("[data-testid=issue-feed]");
        var href = await physician.Locator("[data-testid=feed-url]").GetAttributeAsync("href");
        var path = new Uri(href!).AbsolutePath;
        await using var anonymous = await clinic.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = clinic.BaseUrl });
        var feed = await anonymous.APIRequest.GetAsync(path);
        Assert.True(feed.Ok, $"{feed.Status} {await feed.TextAsync()}");
        Assert.StartsWith("text/calendar", feed.Headers["content-type"], StringComparison.Ordinal);
        var ics = await feed.TextAsync();
        Assert.Equal(6, ics.Split("BEGIN:VEVENT").Length - 1);
        Assert.Contains("Treatment session", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("Planwell", ics, StringComparison.Ordinal);
    }
}
