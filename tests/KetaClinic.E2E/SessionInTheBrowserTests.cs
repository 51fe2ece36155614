using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

/// <summary>A nurse runs a demo session at the chair while the bedside monitor streams vitals over HL7; an alert reaches the chair board live.</summary>
public sealed class SessionInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

    [Fact]
    public async Task A_nurse_cannot_check_a_patient_in_at_a_chair_where_another_session_is_in_progress()
    {
        using var http = await clinic.ApiAsync("nurse@demo.clinic");
        var today = await http.GetFromJsonAsync<JsonElement>("/api/sessions/today");
        // The demo leaves patients at their chairs (monitoring, dosing): one of those chairs is occupied.
        var inProgress = today.EnumerateArray().First(s => s.GetProperty("status").GetString() is "monitoring" or "dosing" or "recovery");
        var chair = inProgress.GetProperty("chairName").GetString()!;
        var occupant = inProgress.GetProperty("patientName").GetString()!;
        var waiting = today.EnumerateArray().First(s => s.GetProperty("status").GetString() == "scheduled"
            && s.GetProperty("patientId").GetString() != inProgress.GetProperty("patientId").GetString());
        var id = waiting.GetProperty("id").GetString()!;

        // The front desk books the waiting patient at that chair, on the next day it has a free slot (the clinic may be
        // closed tomorrow).
        using var desk = await clinic.ApiAsync("frontdesk@demo.clinic");
        var clinicToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Zone).DateTime);
        JsonElement? found = null;
        for (var ahead = 1; ahead <= 7 && found is null; ahead++)
        {
            var slots = await desk.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/free-slots?day={clinicToday.AddDays(ahead):yyyy-MM-dd}");
            found = slots.EnumerateArray().Where(x => x.GetProperty("chairName").GetString() == chair).Select(x => (JsonElement?)x).FirstOrDefault();
        }
        var slot = found ?? throw new InvalidOperationException($"No free slot at {chair} in the next 7 days.");
        (await desk.PostAsJsonAsync($"/api/sessions/{id}/reschedule", new { chairId = slot.GetProperty("chairId").GetString(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }))
            .EnsureSuccessStatusCode();

        var before = (await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("history").GetArrayLength();

        var page = await clinic.SignedInAsync("nurse@demo.clinic");
        await page.GotoAsync($"/sessions/{id}");
        await page.ClickAsync("[data-testid=session-check-in]");
        var problem = page.Locator("[data-testid=session-problem]");
        await Assertions.Expect(problem).ToContainTextAsync($"{chair} is still occupied by {occupant}");
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("scheduled");
        // Nothing was stored: the session is still only booked, with no new step in its history.
        var stored = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("scheduled", stored.GetProperty("state").GetString());
        Assert.Equal(before, stored.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task A_nurse_runs_a_demo_session_from_check_in_to_discharge_while_the_monitor_streams_and_an_alert_appears_on_the_chair_board()
    {
        using var http = await clinic.ApiAsync("nurse@demo.clinic");
        var today = await http.GetFromJsonAsync<JsonElement>("/api/sessions/today");
        // A patient with an open safety alert could not be dosed until a physician acknowledges it: pick one without.
        var alerts = await http.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alerted = alerts.EnumerateArray().Select(a => a.GetProperty("patientId").GetString()).ToHashSet();
        // And a chair nobody is sitting in (the demo has a patient in monitoring at one chair), so the chair's monitor is this patient's.
        var occupied = today.EnumerateArray().Where(s => s.GetProperty("status").GetString() is not ("scheduled" or "completed" or "cancelled" or "no-show" or "stopped-early"))
            .Select(s => s.GetProperty("chairName").GetString()).ToHashSet();
        var session = today.EnumerateArray().First(s => s.GetProperty("status").GetString() == "scheduled" && s.GetProperty("chairName").GetString() is { } chair
            && !occupied.Contains(chair) && !alerted.Contains(s.GetProperty("patientId").GetString()));
        var id = session.GetProperty("id").GetString()!;
        var patientId = session.GetProperty("patientId").GetString()!;
        var monitor = "DEMO-MON-" + session.GetProperty("chairName").GetString()!.Replace("Chair ", "", StringComparison.Ordinal);
        (await http.PostAsJsonAsync($"/api/patients/{patientId}/measurements", new { kind = "weight", value = 81m, measuredAt = TimeProvider.System.GetUtcNow().AddMinutes(-2) })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/patients/{patientId}/responses", new { instrumentId = "phq9", answers = Answers(9) })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/patients/{patientId}/responses", new { instrumentId = "gad7", answers = Answers(7) })).EnsureSuccessStatusCode();

        var page = await clinic.SignedInAsync("nurse@demo.clinic");
        await page.GotoAsync($"/sessions/{id}");
        await page.ClickAsync("[data-testid=session-check-in]");
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("checked in");
        await Task.Delay(1500);

        // The monitor at the chair sends the pre-dose vitals; the checklist sees them without a reload.
        Assert.Contains("MSA|AA", await SendAsync(Oru(monitor, 122, 78, 72, 98)), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=gate-vitals-taken] [data-testid=gate-status]")).ToHaveTextAsync("met");
        await Assertions.Expect(page.Locator("[data-testid=gate-fasting] [data-testid=gate-status]")).ToHaveTextAsync("not met");

        var now = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Zone).DateTime;
        await page.FillAsync("[data-testid=fact-food]", now.AddHours(-8).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=fact-drink]", now.AddHours(-3).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=fact-companion]", "Pat Driver");
        await page.FillAsync("[data-testid=fact-phone]", "+1 217 555 0199");
        await page.SelectOptionAsync("[data-testid=fact-can-be-pregnant]", "no");
        await page.FillAsync("[data-testid=fact-medications]", "sertraline 100 mg");
        await page.CheckAsync("[data-testid=fact-reviewed]");
        await page.ClickAsync("[data-testid=save-facts]");
        await Assertions.Expect(page.Locator("[data-testid=gate-fasting] [data-testid=gate-status]")).ToHaveTextAsync("met");
        await page.ClickAsync("[data-testid=pass-checks]");
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("pre dose checks passed");
        await page.ClickAsync("[data-testid=start-dosing]");
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("dosing");

        await page.FillAsync("[data-testid=dose-site]", "left antecubital");
        await Task.Delay(2500);
        var end = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Zone).DateTime;
        await page.FillAsync("[data-testid=dose-end]", end.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=dose-duration-reason]", "Infusion stopped early by the pump");
        await page.FillAsync("[data-testid=dose-volume]", "50");
        await page.SelectOptionAsync("[data-testid=dose-product]", new SelectOptionValue { Index = 1 });
        await page.FillAsync("[data-testid=dose-lot]", "E2E-LOT");
        await page.SelectOptionAsync("[data-testid=dose-checker]", new SelectOptionValue { Label = "Maria Chen, RN" });
        await page.ClickAsync("[data-testid=complete-dosing]");
        await Assertions.Expect(page.Locator("[data-testid=session-problem]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("monitoring");

        // The chair board, open on another screen, shows the alert as soon as the monitor sends a low SpO2.
        var board = await page.Context.NewPageAsync();
        await board.GotoAsync("/chairs");
        var chair = board.Locator($"[data-testid=chair-row][data-session='{id}']");
        await Assertions.Expect(chair.Locator("[data-testid=chair-phase]")).ToHaveTextAsync("monitoring");
        await Assertions.Expect(chair.Locator("[data-testid=chair-alert]")).ToHaveCountAsync(0);
        Assert.Contains("MSA|AA", await SendAsync(Oru(monitor, 124, 80, 76, 85)), StringComparison.Ordinal);
        await Assertions.Expect(chair.Locator("[data-testid=chair-alert]")).ToContainTextAsync("SpO");
        await Assertions.Expect(chair).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("chair-alert"));

        // The nurse acknowledges it with the action taken; the board clears; recovery starts.
        await Assertions.Expect(page.Locator("[data-testid=session-alert]")).ToHaveCountAsync(1);
        await page.FillAsync("[data-testid=alert-action]", "Chin lift and oxygen; SpO2 back to 97%");
        await page.ClickAsync("[data-testid=alert-acknowledge]");
        await Assertions.Expect(chair.Locator("[data-testid=chair-alert]")).ToHaveCountAsync(0);
        Assert.Contains("MSA|AA", await SendAsync(Oru(monitor, 120, 78, 70, 97)), StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=begin-recovery]");
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("recovery");

        // Discharge waits for the protocol's minimum observation time: refused, naming what is missing.
        await page.CheckAsync("[data-testid=assess-oriented]");
        await page.CheckAsync("[data-testid=assess-walks]");
        await page.CheckAsync("[data-testid=assess-no-nausea]");
        await page.CheckAsync("[data-testid=assess-dissociation]");
        await page.CheckAsync("[data-testid=assess-no-driving]");
        await page.CheckAsync("[data-testid=assess-stable]");
        await page.ClickAsync("[data-testid=save-assessment]");
        await page.ClickAsync("[data-testid=discharge]");
        await Assertions.Expect(page.Locator("[data-testid=session-problem]")).ToContainTextAsync("Still missing");
        await Assertions.Expect(page.Locator("[data-testid=session-state]")).ToHaveTextAsync("recovery");
        await page.Context.CloseAsync();

        // The physician may discharge with a criterion unmet, giving the reason; the unmet criteria stay on the record.
        var physician = await clinic.SignedInAsync("physician@demo.clinic");
        await physician.GotoAsync($"/sessions/{id}");
        await physician.FillAsync("[data-testid=discharge-override-reason]", "Assessed at the chair: alert, walking steadily, companion present");
        await physician.ClickAsync("[data-testid=discharge-override]");
        await Assertions.Expect(physician.Locator("[data-testid=session-state]")).ToHaveTextAsync("discharged");
        await Assertions.Expect(physician.Locator("[data-testid=discharge-override-record]")).ToContainTextAsync("minimum");
        await physician.Context.CloseAsync();
    }

    private static Dictionary<string, int> Answers(int items) =>
        Enumerable.Range(1, items).ToDictionary(i => i.ToString(CultureInfo.InvariantCulture), i => i == 9 ? 0 : 1);

    private static string Oru(string equipment, int systolic, int diastolic, int heartRate, int spo2)
    {
        var t = TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        var control = "E2E" + Guid.NewGuid().ToString("N")[..10];
        return string.Join('\r',
            $"MSH|^~\\&|BEDSIDE|CLINIC|KETACLINIC|CLINIC|{t}||ORU^R01^ORU_R01|{control}|P|2.6",
            $"OBR|1|||VITALS|||{t}",
            $"OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||{systolic}|266016^MDC_DIM_MMHG^MDC|||||R|||{t}||||{equipment}",
            $"OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||{diastolic}|266016^MDC_DIM_MMHG^MDC|||||R|||{t}||||{equipment}",
            $"OBX|3|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC||{heartRate}|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||{t}||||{equipment}",
            $"OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||{spo2}|262688^MDC_DIM_PERCENT^MDC|||||R|||{t}||||{equipment}") + "\r";
    }

    private async Task<string> SendAsync(string message)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", clinic.Hl7Port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0x0B }.Concat(Encoding.UTF8.GetBytes(message)).Concat(new byte[] { 0x1C, 0x0D }).ToArray());
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(received.Count >= 2 && received[^2] == 0x1C && received[^1] == 0x0D))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(n > 0, "the connection closed before an ACK arrived");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }
}
