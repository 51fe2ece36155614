using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

/// <summary>
/// A clinic that escalates an unacknowledged alert after 1 minute (its own setting, with its source) and watches the
/// chair every 5 seconds: the alert climbs on the chair board by itself, in real time, and the session page shows it.
/// </summary>
public sealed class EscalationInTheBrowserTests(EscalatingClinic clinic) : IClassFixture<EscalatingClinic>
{
    [Fact]
    public async Task An_alert_nobody_acknowledges_climbs_to_the_second_level_on_the_chair_board_after_the_clinics_set_time()
    {
        using var http = await clinic.ApiAsync("nurse@demo.clinic");
        // The clinic's value is in force, with its source.
        var settings = await http.GetFromJsonAsync<JsonElement>("/api/sessions/settings");
        var second = settings.GetProperty("sessions").GetProperty("escalation").GetProperty("secondLevelAfterMinutes");
        Assert.Equal(1, second.GetProperty("value").GetInt32());
        Assert.Equal(EscalatingClinic.Source, second.GetProperty("source").GetString());

        // The demo's patient in monitoring; the nurse keys in a low SpO2 and then attends to nothing.
        var today = await http.GetFromJsonAsync<JsonElement>("/api/sessions/today");
        var id = today.EnumerateArray().First(s => s.GetProperty("status").GetString() == "monitoring").GetProperty("id").GetString()!;
        var page = await clinic.SignedInAsync("nurse@demo.clinic");
        // The protocols page shows the nurse the same value, under the key that changes it, with its source.
        await page.GotoAsync("/protocols");
        var row = page.Locator("[data-testid=chair-settings] tr[data-key='Sessions:Escalation:SecondLevelAfterMinutes']");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(EscalatingClinic.Source);

        await page.GotoAsync("/chairs");
        var chair = page.Locator($"[data-testid=chair-row][data-session='{id}']");
        await Assertions.Expect(chair).ToBeVisibleAsync();
        var raised = TimeProvider.System.GetUtcNow();
        (await http.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { oxygenSaturation = 86m })).EnsureSuccessStatusCode();

        var alert = chair.Locator("[data-testid=chair-alert]", new() { HasText = "SpO" });
        await Assertions.Expect(alert).ToBeVisibleAsync();
        await Assertions.Expect(alert.Locator("[data-testid=chair-alert-escalated]")).ToHaveCountAsync(0);

        // One minute later (and the next watch pass), it is marked for the second level without anyone reloading the page.
        await Assertions.Expect(alert.Locator("[data-testid=chair-alert-escalated]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        Assert.True(TimeProvider.System.GetUtcNow() - raised >= TimeSpan.FromMinutes(1), "escalated before the clinic's minute had passed");
        await Assertions.Expect(alert).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("escalated"));

        await page.GotoAsync($"/sessions/{id}");
        await Assertions.Expect(page.Locator("[data-testid=session-alert]", new() { HasText = "SpO" }).Locator("[data-testid=alert-escalated]")).ToBeVisibleAsync();
    }
}

/// <summary>The demo clinic with a 1-minute escalation and a 5-second chair watch.</summary>
public sealed class EscalatingClinic : RunningClinic
{
    public const string Source = "Browser test: escalate after 1 minute so the test sees it happen";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Sessions__WatchIntervalSeconds"] = "5",
        ["Sessions__Escalation__SecondLevelAfterMinutes__Value"] = "1",
        ["Sessions__Escalation__SecondLevelAfterMinutes__Source"] = Source,
    };
}
