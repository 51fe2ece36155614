using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

/// <summary>The physician's tablet form for a clinician-rated scale, and the administrator's monitor page fed by a real monitor connection.</summary>
public sealed class ChairsideInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    [Fact]
    public async Task A_physician_records_a_cssrs_screener_whose_skip_logic_follows_the_answers_and_a_high_triage_raises_an_alert()
    {
        var patientId = await RegisterPatientAsync("Screenerperson");
        var page = await clinic.SignedInAsync("physician@demo.clinic");
        await page.GotoAsync($"/patients/{patientId}/scales/new?instrument=cssrs-screener");
        await Assertions.Expect(page.Locator("[data-testid=item-1]")).ToBeVisibleAsync();

        // Questions 3–5 are asked only after a yes to question 2.
        await Assertions.Expect(page.Locator("[data-testid=item-3]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=answer-1-1]");
        await page.ClickAsync("[data-testid=answer-2-1]");
        await Assertions.Expect(page.Locator("[data-testid=item-3]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=answer-3-1]");
        await page.ClickAsync("[data-testid=answer-4-1]");
        await page.ClickAsync("[data-testid=answer-5-0]");

        // Question 6 left out: the form says so beside it and saves nothing.
        await page.ClickAsync("[data-testid=save-scale]");
        await Assertions.Expect(page.Locator("[data-testid=item-6] .field-error")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=answer-6-0]");
        await page.ClickAsync("[data-testid=save-scale]");

        await page.WaitForURLAsync(u => u.EndsWith($"/patients/{patientId}/outcomes", StringComparison.Ordinal), RunningClinic.Navigation);
        await Assertions.Expect(page.Locator("article.safety-alert.open")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("article.safety-alert.open")).ToContainTextAsync("High-risk");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("triage high");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_registers_a_monitor_and_sees_what_monitors_sent_and_how_it_was_answered()
    {
        var page = await clinic.SignedInAsync("admin@demo.clinic");
        await page.GotoAsync("/admin/monitors");
        await Assertions.Expect(page.Locator("[data-testid=monitors]")).ToContainTextAsync("equipment:DEMO-MON-1");

        var equipment = "E2E" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await page.FillAsync("#m-key", "monitor seven");
        await page.SelectOptionAsync("#m-chair", new SelectOptionValue { Index = 1 });
        await page.ClickAsync("[data-testid=register-monitor]");
        await Assertions.Expect(page.Locator("#m-key ~ .field-error")).ToContainTextAsync("equipment:");
        await page.FillAsync("#m-key", "equipment:" + equipment);
        await page.FillAsync("#m-desc", "Spare monitor");
        await page.ClickAsync("[data-testid=register-monitor]");
        await Assertions.Expect(page.Locator("[data-testid=monitors]")).ToContainTextAsync("equipment:" + equipment);

        // A monitor nobody registered sends a reading: it is answered AE and the log says why.
        var control = "E2E" + Guid.NewGuid().ToString("N")[..10];
        var ack = await SendAsync(Oru(control, "UNREGISTERED-7"));
        Assert.Contains("MSA|AE|" + control, ack, StringComparison.Ordinal);
        await page.ReloadAsync();
        var row = page.Locator("[data-testid=hl7-log] tr", new() { HasTextString = control });
        await Assertions.Expect(row).ToContainTextAsync("AE");
        await Assertions.Expect(row).ToContainTextAsync("not registered");
        await page.Context.CloseAsync();
    }

    private static string Oru(string controlId, string equipment)
    {
        var t = TimeProvider.System.GetUtcNow().AddSeconds(-30).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        return string.Join('\r',
            $"MSH|^~\\&|BEDSIDE|CLINIC|KETACLINIC|CLINIC|{t}||ORU^R01^ORU_R01|{controlId}|P|2.6",
            $"OBR|1|||VITALS|||{t}",
            $"OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|262688^MDC_DIM_PERCENT^MDC|||||R|||{t}||||{equipment}") + "\r";
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

    private async Task<string> RegisterPatientAsync(string family)
    {
        using var http = new HttpClient { BaseAddress = new Uri(clinic.BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email = "frontdesk@demo.clinic", password = RunningClinic.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var created = await http.PostAsJsonAsync("/api/patients", new { legalGivenName = "Ana", legalFamilyName = family + Guid.NewGuid().ToString("N")[..5], dateOfBirth = "1985-02-11", sex = "female", phone = "+1 217 555 0191" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
