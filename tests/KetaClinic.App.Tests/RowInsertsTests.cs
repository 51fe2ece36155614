using KetaClinic.App.Data;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>
/// The HL7 intake's bulk inserts write rows that read back through EF exactly as saved: GUIDs, times, decimals,
/// nulls and text, on both providers; and nothing is left when the transaction rolls back.
/// </summary>
public sealed class RowInsertsTests
{
    /// <summary>
    /// A migrated database with one demo patient and one of the patient's sessions (a vital sign must name a session of
    /// its patient), gone when disposed.
    /// </summary>
    private sealed class Migrated(TestDatabase database, ClinicAppFactory app, Guid patientId, Guid sessionId) : IAsyncDisposable
    {
        public ClinicAppFactory App { get; } = app;

        public Guid PatientId { get; } = patientId;

        public Guid SessionId { get; } = sessionId;

        public static async Task<Migrated> CreateAsync(Provider provider)
        {
            var database = await TestDatabase.CreateAsync(provider);
            var app = new ClinicAppFactory(database, demoPatients: 1);
            await using var db = app.NewDbContext();
            var session = await db.TreatmentSessions.OrderBy(s => s.ScheduledStart).Select(s => new { s.Id, s.PatientId }).FirstAsync();
            return new Migrated(database, app, session.PatientId, session.Id);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static DateTimeOffset Micro(DateTimeOffset t) => AuditTrail.TruncateToMicroseconds(t);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Rows_inserted_in_bulk_read_back_as_EF_saved_them(Provider provider)
    {
        await using var migrated = await Migrated.CreateAsync(provider);
        var (app, patientId, sessionId) = (migrated.App, migrated.PatientId, migrated.SessionId);
        var at = Micro(new DateTimeOffset(2026, 11, 24, 9, 30, 15, 123, TimeSpan.Zero).AddTicks(4560));
        var message = new Hl7InboundMessage
        {
            Id = Guid.CreateVersion7(at), SendingApplication = "BEDSIDE^1.2.3^ISO", SendingFacility = "", ControlId = "C'1;--", MessageType = "ORU^R01",
            ReceivedAt = at, RemoteAddress = null, DeviceKey = "equipment:É-1", AckCode = "AA", Error = null, ObservationsStored = 2, ObservationsRejected = 0,
        };
        var vitals = new List<VitalSignRecord>
        {
            new() { Id = Guid.NewGuid(), PatientId = patientId, SessionId = sessionId, ChairId = Guid.NewGuid(), Kind = "oxygen-saturation", Value = 97.25m, Unit = "%", ObservedAt = at.AddSeconds(-5), Source = "monitor", DeviceKey = "equipment:É-1", InboundMessageId = message.Id, ResultStatus = "R", RecordedAt = at, RecordedBy = "hl7:equipment:É-1" },
            new() { Id = Guid.NewGuid(), PatientId = patientId, SessionId = sessionId, ChairId = null, Kind = "body-temperature", Value = -0.5m, Unit = "Cel", ObservedAt = at, Source = "manual", DeviceKey = null, InboundMessageId = null, ResultStatus = "F", RecordedAt = at, RecordedBy = "nurse" },
        };

        await using (var db = app.NewDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await new RowInserts().Add([message]).Add(vitals).Add(new List<SessionEventRow>()).ExecuteAsync(db, CancellationToken.None);
            await tx.CommitAsync();
            Assert.Empty(db.ChangeTracker.Entries());
        }

        await using (var db = app.NewDbContext())
        {
            var log = await db.Hl7InboundMessages.AsNoTracking().SingleAsync(m => m.Id == message.Id);
            Assert.Equivalent(message, log, strict: true);
            var stored = await db.VitalSigns.AsNoTracking().Where(v => v.PatientId == patientId).OrderBy(v => v.ObservedAt).ToListAsync();
            Assert.Equal(2, stored.Count);
            Assert.Equivalent(vitals[0], stored[0], strict: true);
            Assert.Equivalent(vitals[1], stored[1], strict: true);
            // Queries on the converted columns find them (a GUID or time written in another format would not match).
            Assert.Equal(1, await db.VitalSigns.CountAsync(v => v.InboundMessageId == message.Id && v.ObservedAt < at));
            Assert.Equal(1, await db.Hl7InboundMessages.CountAsync(m => m.ControlId == "C'1;--" && m.ReceivedAt == at));
        }
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Statements_kept_prepared_from_batch_to_batch_write_each_batch_values_as_EF_would(Provider provider)
    {
        await using var migrated = await Migrated.CreateAsync(provider);
        var (app, patientId, sessionId) = (migrated.App, migrated.PatientId, migrated.SessionId);
        var at = Micro(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).AddTicks(1230));
        VitalSignRecord Vital(int i, bool withLinks) => new()
        {
            Id = Guid.CreateVersion7(at.AddSeconds(i)), PatientId = patientId, SessionId = sessionId, ChairId = withLinks ? Guid.NewGuid() : null,
            Kind = i % 2 == 0 ? "heart-rate" : "oxygen-saturation", Value = 60.5m + i, Unit = i % 2 == 0 ? "/min" : "%", ObservedAt = at.AddSeconds(i).AddTicks(70),
            Source = withLinks ? "monitor" : "manual", DeviceKey = withLinks ? $"equipment:K-{i}" : null, InboundMessageId = withLinks ? Guid.NewGuid() : null,
            ResultStatus = withLinks ? "R" : "F", RecordedAt = at, RecordedBy = "batch-test",
        };
        // The first batch's first row has every nullable value null (the parameters are made from it), the later
        // batches alternate; the follow-up statement runs again with other values.
        var batches = new[]
        {
            new[] { Vital(0, false), Vital(1, true) },
            new[] { Vital(2, true), Vital(3, false), Vital(4, true) },
            new[] { Vital(5, false) },
        };
        long before;
        var kept = new PreparedCommands();
        await using (var db = app.NewDbContext())
        {
            await db.Database.OpenConnectionAsync();
            before = (await db.AuditChainHeads.AsNoTracking().SingleAsync()).LastSequence;
            for (var b = 0; b < batches.Length; b++)
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                await new RowInserts(kept).Add(batches[b].ToList())
                    .Then("UPDATE audit_chain_heads SET last_sequence = {0}, last_hash = {1} WHERE id = 1", before + b + 1, $"hash-{b}")
                    .ExecuteAsync(db, CancellationToken.None);
                await tx.CommitAsync();
            }
            if (provider == Provider.Sqlite)
            {
                // Two statements (the insert and the update), each made and prepared once for the three batches.
                Assert.Equal(2, kept.Count);
            }
            kept.Dispose();
        }

        await using (var db = app.NewDbContext())
        {
            var stored = await db.VitalSigns.AsNoTracking().Where(v => v.RecordedBy == "batch-test").OrderBy(v => v.ObservedAt).ToListAsync();
            var written = batches.SelectMany(b => b).ToList();
            Assert.Equal(written.Count, stored.Count);
            for (var i = 0; i < written.Count; i++)
            {
                Assert.Equivalent(written[i], stored[i], strict: true);
            }
            var head = await db.AuditChainHeads.AsNoTracking().SingleAsync();
            Assert.Equal((before + 3, "hash-2"), (head.LastSequence, head.LastHash));
            Assert.Equal(3, await db.VitalSigns.CountAsync(v => v.RecordedBy == "batch-test" && v.ChairId != null && v.ObservedAt > at));
        }
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Bulk_inserts_belong_to_the_transaction_and_go_with_a_rollback(Provider provider)
    {
        await using var migrated = await Migrated.CreateAsync(provider);
        var (app, patientId, sessionId) = (migrated.App, migrated.PatientId, migrated.SessionId);
        var at = Micro(DateTimeOffset.UnixEpoch.AddYears(56));
        await using (var db = app.NewDbContext())
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => new RowInserts().Add([new VitalSignRecord { Id = Guid.NewGuid(), PatientId = patientId, SessionId = sessionId, Kind = "heart-rate", Value = 70, Unit = "/min", ObservedAt = at, RecordedAt = at, RecordedBy = "x" }]).ExecuteAsync(db, CancellationToken.None));
            await using var tx = await db.Database.BeginTransactionAsync();
            var rows = Enumerable.Range(0, 700).Select(i => new VitalSignRecord { Id = Guid.NewGuid(), PatientId = patientId, SessionId = sessionId, Kind = "heart-rate", Value = 60 + (i % 40), Unit = "/min", ObservedAt = at.AddSeconds(i), RecordedAt = at, RecordedBy = "x" }).ToList();
            await new RowInserts().Add(rows).ExecuteAsync(db, CancellationToken.None);
            Assert.Equal(700, await db.VitalSigns.CountAsync(v => v.RecordedBy == "x"));
            await tx.RollbackAsync();
        }

        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await db.VitalSigns.CountAsync(v => v.RecordedBy == "x"));
        }
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task A_statement_after_the_inserts_gets_its_values_as_parameters_and_goes_with_a_rollback(Provider provider)
    {
        await using var migrated = await Migrated.CreateAsync(provider);
        var app = migrated.App;
        long before;
        await using (var db = app.NewDbContext())
        {
            before = (await db.AuditChainHeads.AsNoTracking().SingleAsync()).LastSequence;
            await using var tx = await db.Database.BeginTransactionAsync();
            await new RowInserts().Then("UPDATE audit_chain_heads SET last_sequence = {0}, last_hash = {1} WHERE id = 1", before + 41, "it's {1}; --").ExecuteAsync(db, CancellationToken.None);
            var moved = await db.AuditChainHeads.AsNoTracking().SingleAsync();
            Assert.Equal((before + 41, "it's {1}; --"), (moved.LastSequence, moved.LastHash));
            await tx.RollbackAsync();
        }

        await using (var db = app.NewDbContext())
        {
            Assert.Equal(before, (await db.AuditChainHeads.AsNoTracking().SingleAsync()).LastSequence);
        }
    }
}
