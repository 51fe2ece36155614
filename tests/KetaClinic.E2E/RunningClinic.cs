using System.Net.Http.Json;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

/// <summary>
/// The real app as its own process on a real port (demo mode, a fresh SQLite file), and Debian's Chromium driven
/// headless by Playwright.
/// </summary>
public class RunningClinic : IAsyncLifetime
{
    public const string Password = "E2e-Demo-Password-1";

    /// <summary>How long a test waits for a page it navigated to: the app on a busy 2-core machine can be slow to answer.</summary>
    public static readonly PageWaitForURLOptions Navigation = new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit };
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ketaclinic-e2e", Guid.NewGuid().ToString("N"));
    private Process? _app;
    private IPlaywright? _playwright;
    private readonly System.Text.StringBuilder _log = new();

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The clinic's own settings for this app (environment variables, Section__Key), beside the demo defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>The port the app's HL7 MLLP listener uses, for tests that play a bedside monitor.</summary>
    public int Hl7Port { get; private set; }
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = RepoRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var appDir = Path.Combine(root, "src", "KetaClinic.App");
        var dll = Path.Combine(appDir, "bin", configuration, "net10.0", "KetaClinic.App.dll");
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", BaseUrl])
        {
            WorkingDirectory = appDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__Password"] = Password;
        start.Environment["Demo__PatientCount"] = "40";
        start.Environment["Data__Directory"] = _dataDir;
        Hl7Port = FreePort();
        start.Environment["Hl7__Port"] = Hl7Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Hl7__BindAddress"] = "127.0.0.1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in Settings)
        {
            start.Environment[key] = value;
        }
        _app = Process.Start(start) ?? throw new InvalidOperationException("could not start the app");
        _app.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _app.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitHealthy();

        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>An API client signed in as <paramref name="email"/> with a bearer token, for preparing what a browser test needs.</summary>
    public async Task<HttpClient> ApiAsync(string email)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<IPage> LoginAsync(string email, string password = Password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1024, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        // Generous waits: CI runs the browser tests beside the other test assemblies on two cores.
        page.SetDefaultTimeout(60_000);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return page;
    }

    /// <summary>Signs in and waits until the app has left the login page (the sign-in succeeded).</summary>
    public async Task<IPage> SignedInAsync(string email, string password = Password)
    {
        var page = await LoginAsync(email, password);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal), Navigation);
        return page;
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitHealthy()
    {
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_app!.HasExited)
            {
                throw new InvalidOperationException("The app exited during start:\n" + Log);
            }
            try
            {
                if ((await http.GetAsync(BaseUrl + "/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The app did not become healthy:\n" + Log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KetaClinic.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("KetaClinic.slnx not found above " + AppContext.BaseDirectory);
    }
}
