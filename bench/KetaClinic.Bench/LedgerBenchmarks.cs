using BenchmarkDotNet.Attributes;
using KetaClinic.App;
using KetaClinic.App.Data;
using KetaClinic.App.Demo;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Security;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KetaClinic.Bench;

/// <summary>
/// Recording one draw through the real handler (lock, state, decision, entry, audit, commit) on a SQLite file whose
/// ledger already holds <see cref="Entries"/> entries: warm (the process's copy of the ledger is current) and cold
/// (a fresh process: the whole ledger is read and replayed first). Also the balance-at-an-instant query.
/// </summary>
[MemoryDiagnoser]
public class LedgerWriteBenchmarks
{
    private ServiceProvider _services = null!;
    private Ledger _ledger = null!;
    private LedgerQueries _queries = null!;
    private LedgerBook _book = null!;
    private Actor _nurse = null!;
    private Guid _sessionId;
    private Guid _container;
    private Guid _product;
    private DateTimeOffset _past;
    private string _dir = string.Empty;

    [Params(50_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ketaclinic-bench", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Directory"] = _dir,
            ["Demo:Enabled"] = "true",
            ["Demo:PatientCount"] = "20",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddDataProtection();
        // The witness's password check goes through Identity's sign-in manager, which needs the authentication schemes.
        services.AddAuthentication();
        services.AddClinicCore(configuration, _dir);
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<ClinicBootstrap>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        _ledger = _services.GetRequiredService<Ledger>();
        _queries = _services.GetRequiredService<LedgerQueries>();
        _book = _services.GetRequiredService<LedgerBook>();
        AppendAsync().GetAwaiter().GetResult();
    }

    /// <summary>Generated entries after the demo's, through the domain's decisions, bulk-stored; then one big vial to draw from.</summary>
    private async Task AppendAsync()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var nurse = await db.Users.SingleAsync(u => u.Email == "nurse@demo.clinic");
        _nurse = new Actor(nurse.Id, nurse.Email!, [ClinicRoles.Nurse], "127.0.0.1");
        var session = await db.TreatmentSessions.AsNoTracking().FirstAsync(s => s.Status == "scheduled");
        _sessionId = session.Id;
        var reference = await LedgerReferenceData.LoadAsync(db, CancellationToken.None);
        var entries = (await db.LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).Select(LedgerRows.ToEntry).ToList();
        var state = LedgerState.Replay(entries);
        var vial = reference.Reference.Products.Single(p => p.Ndc.Text == "0409-2051-05");
        _product = vial.Id;
        var cabinet = reference.Reference.StorageLocations.Single(s => s.Kind == StorageKind.LockedCabinet);
        var now = TimeProvider.System.GetUtcNow();
        var from = state.LastRecordedAt!.Value.AddSeconds(1);
        var generated = LedgerGenerator.Generate(state, reference.Reference, vial, cabinet, session.Id, session.PatientId, Entries - entries.Count, from, now.AddMinutes(-1), nurse.Id);
        _past = generated[generated.Count / 2].RecordedAt;
        for (var i = 0; i < generated.Count; i += 5000)
        {
            await using var batch = await factory.CreateDbContextAsync();
            batch.ChangeTracker.AutoDetectChangesEnabled = false;
            batch.LedgerEntries.AddRange(generated.Skip(i).Take(5000).Select(LedgerRows.ToRow));
            await batch.SaveChangesAsync();
        }
        var last = generated[^1];
        await db.Database.ExecuteSqlAsync($"UPDATE ledger_chain_heads SET last_sequence = {last.Sequence}, last_hash = {last.Hash} WHERE id = 1");

        // One 1000 mL container of a bench product, so every iteration can draw 0.01 mL from it.
        var setup = _services.GetRequiredService<LedgerSetup>();
        var admin = await db.Users.SingleAsync(u => u.Email == "admin@demo.clinic");
        var big = (await setup.AddProductAsync(new ProductRequest("KetamineHydrochloride", "Vial", "99999-999-99", 50, 1000, null, null, null),
            new Actor(admin.Id, admin.Email!, [ClinicRoles.Administrator], "127.0.0.1"), CancellationToken.None)).Value!;
        var nurse2 = new WitnessInput("nurse2@demo.clinic", new DemoSettings().Password);
        var receipt = await _ledger.ReceiveAsync(new ReceiptRequest(cabinet.Id, null, new SupplierInput("Bench", "Bench street", DemoLedger.Dea("RB", 1, 1, 1, 1, 1, 1)), "B-1",
            [new ReceiptLineInput(big.Id, "BENCH", new DateOnly(2099, 1, 1), 1)], nurse2), _nurse, CancellationToken.None);
        if (!receipt.IsOk)
        {
            throw new InvalidOperationException("Bench receipt refused: " + string.Join("; ", receipt.Errors.Select(e => e.Field + " " + e.Message)));
        }
        _container = (await _queries.StockAsync(_nurse, CancellationToken.None)).Value!.Containers.Single(c => c.ReceiptSequence == receipt.Value!.Sequence).Id;
        Console.WriteLine($"// Ledger holds {receipt.Value!.Sequence} entries.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<long> DrawAsync()
    {
        var r = await _ledger.DrawAsync(new DrawRequest(_sessionId, _container, new AmountInput(0.01m, "mL"), null), _nurse, CancellationToken.None);
        return r.IsOk ? r.Value!.Sequence : throw new InvalidOperationException(string.Join("; ", r.Errors.Select(e => e.Field + " " + e.Message)));
    }

    [Benchmark]
    public Task<long> RecordDrawWarm() => DrawAsync();

    [Benchmark]
    public async Task<long> RecordDrawCold()
    {
        await _book.ResetAsync();
        return await DrawAsync();
    }

    [Benchmark]
    public async Task<long> BalanceAtPastInstantThroughTheHandler() =>
        (await _queries.BalanceAtAsync(_product, null, _past, _nurse, CancellationToken.None)).Value!.OnHandMcg;
}

/// <summary>
/// The balance of a product at any past instant over five years of a busy clinic (about 200,000 entries), as the
/// app answers it once its copy of the ledger is loaded (a binary search in the balance timeline), next to a naive
/// replay up to the instant; and the one-off cost of replaying the whole ledger.
/// </summary>
[MemoryDiagnoser]
public class LedgerBalanceBenchmarks
{
    private List<LedgerEntry> _entries = [];
    private LedgerTimeline _timeline = new();
    private Guid _product;
    private DateTimeOffset[] _instants = [];
    private int _next;

    [Params(200_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var location = Guid.NewGuid();
        var registration = DeaRegistration.Create(DemoLedger.Dea("BR", 4, 7, 2, 1, 8, 5), location, "Dr. Bench", [DeaSchedule.III], new DateOnly(2020, 1, 1), new DateOnly(2030, 12, 31));
        var vial = Product.Vial(Guid.NewGuid(), ControlledDrug.KetamineHydrochloride, "0409-2051-05", ConcentrationMcgPerMl.FromMilligramsPerMillilitre(50), VolumeUl.FromMillilitres(10));
        var cabinet = StorageLocation.Create(Guid.NewGuid(), location, "Cabinet", StorageKind.LockedCabinet);
        var reference = new LedgerReference([vial], [cabinet], [registration]);
        var end = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        _entries = LedgerGenerator.Generate(new LedgerState(), reference, vial, cabinet, Guid.NewGuid(), Guid.NewGuid(), Entries, end.AddYears(-5), end, "bench-nurse");
        _product = vial.Id;
        var state = new LedgerState();
        foreach (var e in _entries)
        {
            state.Apply(e);
            _timeline.Record(state, e);
        }
        var random = new Random(3);
        _instants = [.. Enumerable.Range(0, 1024).Select(_ => end.AddYears(-5).AddMinutes(random.Next(5 * 365 * 24 * 60)))];
    }

    [Benchmark]
    public long BalanceAtPastInstant() => _timeline.OnHandAt(_product, null, _instants[_next++ & 1023]).Micrograms;

    [Benchmark]
    public long BalanceAtPastInstantByReplay() => LedgerState.AsOf(_entries, _instants[_next++ & 1023]).OnHandByFlows(_product).Micrograms;

    [Benchmark]
    public long ReplayWholeLedger() => LedgerState.Replay(_entries).LastSequence;
}

/// <summary>Busy-clinic ledger entries through the domain's decisions: deliveries of ten vials, and per session a draw, a dose and the rest wasted.</summary>
internal static class LedgerGenerator
{
    public static List<LedgerEntry> Generate(LedgerState state, LedgerReference reference, Product vial, StorageLocation storage, Guid sessionId, Guid patientId,
        int count, DateTimeOffset from, DateTimeOffset to, string nurse)
    {
        var entries = new List<LedgerEntry>(count + 16);
        var step = TimeSpan.FromTicks(Math.Max(10, (to - from).Ticks / Math.Max(1, count)));
        var at = from;
        var supplier = new Supplier("Bench Distributor", "1 Bench Way", DemoLedger.Dea("RB", 2, 2, 2, 2, 2, 2));
        var stock = new Queue<Guid>();
        var lot = 0;
        LedgerEntry Record(LedgerCommand command)
        {
            at += step;
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            var decision = ControlledSubstanceLedger.Decide(state, command, new LedgerContext(at, day, nurse, reference, LedgerSettings.Default));
            if (!decision.Accepted)
            {
                throw new InvalidOperationException($"Generated {command.GetType().Name} refused: " + string.Join("; ", decision.Errors.Select(e => e.Field + " " + e.Message)));
            }
            state.Apply(decision.Entry!);
            entries.Add(decision.Entry!);
            return decision.Entry!;
        }
        var dose = MassMcg.FromMilligrams(40);
        while (entries.Count < count)
        {
            while (stock.Count > 0 && (state.Container(stock.Peek())?.Balance ?? MassMcg.Zero) < MassMcg.FromMilligrams(50))
            {
                stock.Dequeue();
            }
            if (stock.Count == 0)
            {
                var day = DateOnly.FromDateTime((at + step).UtcDateTime);
                var lines = Enumerable.Range(0, 10).Select(_ => new ReceiptLine(Guid.NewGuid(), vial.Id, $"L{lot}", day.AddYears(2))).ToList();
                lot++;
                Record(new RecordReceipt(storage.Id, day, supplier, $"INV-{lot}", lines, nurse, "bench-pharmacist"));
                lines.ForEach(l => stock.Enqueue(l.ContainerId));
                continue;
            }
            var draw = Record(new RecordDraw(stock.Peek(), MeasuredAmount.Millilitres(1), sessionId, nurse, at + step));
            Record(new RecordAdministration(draw.Sequence, sessionId, Guid.NewGuid(), patientId, MeasuredAmount.Of(dose), nurse, at + step));
            Record(new RecordWaste(draw.Sequence, null, MeasuredAmount.Milligrams(10), "sink", nurse, new WitnessAttestation("bench-witness", at + step), at + step));
        }
        return entries;
    }
}
