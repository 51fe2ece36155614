using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using KetaClinic.Cli.Monitors;
using Microsoft.Playwright;

namespace KetaClinic.Bench.Hl7Load;

/// <summary>How long after a monitor sends an alarming value the alert is on a nurse's chair board in the browser.</summary>
internal sealed record BoardLatencySummary(int Samples, int Missed, double P50Ms, double P95Ms, double MaxMs, double SteadyMessagesPerSecond, string? Skipped)
{
    /// <summary>A probe whose alert did not show within 30 s counts as missed (and as 30 s in the percentiles).</summary>
    public static BoardLatencySummary Of(List<double> samples, int missed, double rate)
    {
        samples.AddRange(Enumerable.Repeat(30_000d, missed));
        samples.Sort();
        return samples.Count == 0
            ? new BoardLatencySummary(0, 0, 0, 0, 0, rate, "no probes")
            : new BoardLatencySummary(samples.Count, missed, Percentile(samples, 0.50), Percentile(samples, 0.95), samples[^1], rate, null);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>
/// Opens the chair board in headless Chromium as the demo nurse and, for each probe chair, sends one message with a
/// low SpO2 from its monitor: half of the probes with no other traffic, half beside the steady monitor load. The time counted runs from just before the frame
/// is written to the moment the alert enters the page's DOM (noted by the page itself), so it holds the ACK, the commit,
/// the board's reload and the push to the browser.
/// </summary>
/// <summary>The alert latencies with no other traffic and beside the steady load.</summary>
internal sealed record BoardLatencies(BoardLatencySummary Quiet, BoardLatencySummary Loaded);

internal static class BoardLatency
{
    private const string Password = "Bench-Password-2026";

    public static async Task<BoardLatencies> MeasureAsync(string baseUrl, int hl7Port, List<(Guid SessionId, string Equipment)> probes, Func<Task<SimulationSummary>> steadyLoad, int count)
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium) || probes.Count == 0)
        {
            var skipped = new BoardLatencySummary(0, 0, 0, 0, 0, 0, probes.Count == 0 ? "no probe chairs" : $"{chromium} not found (apt-get install -y chromium)");
            return new BoardLatencies(skipped, skipped);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", "nurse@demo.clinic");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.GotoAsync("/chairs");
        await page.WaitForSelectorAsync($"article[data-session='{probes[0].SessionId}']");

        // Quiet: the first half of the probes with nothing else arriving (the board has had its first full load).
        var total = Math.Min(count, probes.Count);
        var half = Math.Max(1, total / 2);
        var quiet = await ProbeAsync(page, hl7Port, probes.Take(half));
        var load = steadyLoad();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the load is running before the first loaded probe
        var loaded = await ProbeAsync(page, hl7Port, probes.Skip(half).Take(Math.Max(1, total - half)));
        var steady = await load;
        return new BoardLatencies(BoardLatencySummary.Of(quiet.Samples, quiet.Missed, 0), BoardLatencySummary.Of(loaded.Samples, loaded.Missed, steady.MessagesPerSecond));
    }

    private static async Task<(List<double> Samples, int Missed)> ProbeAsync(IPage page, int hl7Port, IEnumerable<(Guid SessionId, string Equipment)> probes)
    {
        var samples = new List<double>();
        var missed = 0;
        foreach (var (sessionId, equipment) in probes)
        {
            // The page itself notes when the alert enters its DOM (a MutationObserver), so the figure does not include
            // how often Playwright polls for it; both ends are read from this machine's wall clock, in milliseconds.
            var selector = $"article[data-session='{sessionId}'] [data-testid=chair-alert]";
            await page.EvaluateAsync(Watch, new[] { selector, sessionId.ToString() });
            var started = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            await SendAsync(hl7Port, equipment);
            try
            {
                var seen = await page.WaitForFunctionAsync("key => window.__kcSeen && window.__kcSeen[key]", sessionId.ToString(), new() { Timeout = 30_000 });
                samples.Add(await seen.JsonValueAsync<double>() - started);
            }
            catch (TimeoutException)
            {
                missed++;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(700));
        }

        return (samples, missed);
    }

    /// <summary>Records in <c>window.__kcSeen[key]</c> the time (Date.now()) the selector first matches.</summary>
    private const string Watch = """
        ([selector, key]) => {
            window.__kcSeen = window.__kcSeen || {};
            const observer = new MutationObserver(() => check());
            const check = () => {
                if (!window.__kcSeen[key] && document.querySelector(selector)) {
                    window.__kcSeen[key] = Date.now();
                    observer.disconnect();
                }
            };
            observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
            check();
        }
        """;

    /// <summary>One ORU^R01 with SpO2 85 % (under the alert threshold) from the probe chair's monitor; waits for its ACK.</summary>
    private static async Task SendAsync(int port, string equipment)
    {
        var t = TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        var control = "PROBE" + Guid.NewGuid().ToString("N")[..12];
        var message = string.Join('\r',
            $"MSH|^~\\&|BEDSIDE|CLINIC|KETACLINIC|CLINIC|{t}||ORU^R01^ORU_R01|{control}|P|2.6|||AL|NE||UNICODE UTF-8",
            "PID|||",
            $"OBR|1|||VITALS|||{t}",
            $"OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||85|262688^MDC_DIM_PERCENT^MDC|||||R|||{t}||||{equipment}") + "\r";
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0x0B }.Concat(Encoding.UTF8.GetBytes(message)).Concat(new byte[] { 0x1C, 0x0D }).ToArray());
        var buffer = new byte[4096];
        var received = new List<byte>();
        while (!(received.Count >= 2 && received[^2] == 0x1C && received[^1] == 0x0D))
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                throw new InvalidOperationException("the app closed the connection before the ACK");
            }
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        var ack = Encoding.UTF8.GetString(received.ToArray());
        if (!ack.Contains("MSA|AA|", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the probe was not accepted: " + ack);
        }
    }
}
