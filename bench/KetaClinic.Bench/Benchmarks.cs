using BenchmarkDotNet.Attributes;
using KetaClinic.App;
using KetaClinic.App.Demo;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.Domain.Audit;
using KetaClinic.Domain.Patients;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KetaClinic.Bench;

/// <summary>Cost of sealing and of verifying the audit chain (verify runs over the whole log).</summary>
[MemoryDiagnoser]
public class AuditChainBenchmarks
{
    private List<ChainedAuditEntry> _chain = [];
    private AuditFacts _facts = null!;

    [Params(10_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var previous = AuditChain.GenesisHash;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= Entries; i++)
        {
            var facts = new AuditFacts(i, start.AddSeconds(i), "user-id", "nurse@demo.clinic", "Nurse", "read", "patient", Guid.NewGuid().ToString(), Guid.NewGuid(), "10.0.0.1", "{\"parts\":\"demographics\"}");
            var hash = AuditChain.ComputeHash(previous, facts);
            _chain.Add(new ChainedAuditEntry(facts, previous, hash));
            previous = hash;
        }
        _facts = _chain[^1].Facts;
    }

    [Benchmark]
    public string HashOneEntry() => AuditChain.ComputeHash(AuditChain.GenesisHash, _facts);

    [Benchmark]
    public bool VerifyWholeChain() => AuditChain.Verify(_chain).Intact;
}

/// <summary>Patient search through the real handler on a SQLite file holding a demo clinic (each search is audited).</summary>
[MemoryDiagnoser]
public class PatientSearchBenchmarks
{
    private ServiceProvider _services = null!;
    private PatientRegistry _registry = null!;
    private readonly Actor _actor = new("bench", "frontdesk@demo.clinic", [ClinicRoles.FrontDesk], "127.0.0.1");
    private string _dir = string.Empty;

    [Params(2_000)]
    public int Patients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ketaclinic-bench", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Directory"] = _dir,
            ["Demo:Enabled"] = "true",
            ["Demo:PatientCount"] = Patients.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddDataProtection();
        services.AddClinicCore(configuration, _dir);
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<ClinicBootstrap>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        _registry = _services.GetRequiredService<PatientRegistry>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public async Task<int> SearchByNameFragment() => (await _registry.SearchAsync(new PatientSearchQuery("smi", null, null), _actor, CancellationToken.None)).Value!.Count;

    [Benchmark]
    public async Task<int> SearchByDateOfBirth() => (await _registry.SearchAsync(new PatientSearchQuery(null, new DateOnly(1980, 5, 17), null), _actor, CancellationToken.None)).Value!.Count;
}

/// <summary>Validation of a registration form, the front desk's most frequent write.</summary>
[MemoryDiagnoser]
public class PatientValidationBenchmarks
{
    private readonly PatientDetails _details = new()
    {
        LegalGivenName = "Maria",
        LegalFamilyName = "Garcia",
        DateOfBirth = new DateOnly(1984, 3, 17),
        Sex = "female",
        Phone = "+1 217 555 0101",
        Email = "maria@example.org",
        CompanionName = "Luis Garcia",
        CompanionPhone = "+1 217 555 0102",
    };

    [Benchmark]
    public bool Validate() => PatientRules.Validate(_details, new DateOnly(2026, 11, 23)).Value is not null;
}
