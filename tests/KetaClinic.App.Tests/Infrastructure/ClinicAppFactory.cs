using System.Net.Http.Headers;
using System.Net.Http.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests.Infrastructure;

/// <summary>The real app (Program) on a real database, with a small demo clinic seeded.</summary>
/// <param name="clock">The app's clock (tests that need time to pass).</param>
/// <param name="services">Changes to the app's services after its own registrations (e.g. a database interceptor).</param>
public sealed class ClinicAppFactory(TestDatabase database, int demoPatients = 12, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, TimeProvider? clock = null) : WebApplicationFactory<Program>
{
    public const string Password = "Test-Password-2026";

    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.ProviderSetting);
        builder.UseSetting("ConnectionStrings:Clinic", Database.ConnectionString);
        builder.UseSetting("Data:Directory", Database.Directory);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Demo:PatientCount", demoPatients.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Security:LoginAttemptsPerMinute", "1000");
        builder.UseSetting("Security:PublicRequestsPerMinute", "1000");
        // Every test app listens for monitors on its own free port, with short timeouts to test them.
        builder.UseSetting("Hl7:Port", "0");
        builder.UseSetting("Hl7:BindAddress", "127.0.0.1");
        builder.UseSetting("Hl7:IdleTimeoutSeconds", "3");
        builder.UseSetting("Hl7:FrameTimeoutSeconds", "2");
        builder.UseSetting("Hl7:MaxFrameBytes", "16384");
        // The chair watch runs only when a test calls its pass, at the time the test has set.
        builder.UseSetting("Sessions:WatchIntervalSeconds", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        if (clock is not null)
        {
            builder.ConfigureTestServices(s => s.AddSingleton(clock));
        }
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public ClinicDbContext NewDbContext() => Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContext();

    public async Task<HttpClient> ClientForAsync(string? role)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is null)
        {
            return client;
        }
        var email = DemoSeeder.Logins.First(l => l.Role == role).Email;
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
    }

    private sealed record TokenResponse(string AccessToken);
}

/// <summary>One app per provider, shared by the tests of a class.</summary>
public abstract class AppFixture(Provider provider) : IAsyncLifetime
{
    private TestDatabase? _database;

    public ClinicAppFactory App { get; private set; } = null!;
    public Provider Provider { get; } = provider;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Provider);
        App = Create(_database);
        _ = App.Server; // start: migrate and seed
    }

    protected virtual ClinicAppFactory Create(TestDatabase database) => new(database);

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class SqliteApp() : AppFixture(Provider.Sqlite);

public sealed class PostgresApp() : AppFixture(Provider.PostgreSql);
