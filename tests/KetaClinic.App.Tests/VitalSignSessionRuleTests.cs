using KetaClinic.App.Data;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>
/// The database keeps every vital sign with a session of its own patient, from both ends (migration V13): a vital sign
/// naming no session, an unknown one or another patient's is refused, whether saved by EF or inserted in bulk as the
/// HL7 intake does; a session with vital signs cannot be deleted or given another id or patient.
/// </summary>
public sealed class VitalSignSessionRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static VitalSignRecord Vital(Guid patientId, Guid? sessionId, string by) => new()
    {
        Id = Guid.NewGuid(), PatientId = patientId, SessionId = sessionId, Kind = "heart-rate", Value = 72, Unit = "/min",
        ObservedAt = At, Source = "manual", ResultStatus = "F",
        RecordedAt = At, RecordedBy = by,
    };

    private static void AssertRefusedByTheRule(Exception ex) =>
        Assert.Contains("vital_signs_session_of_patient", ex.ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task A_vital_sign_must_name_a_session_of_its_own_patient(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new ClinicAppFactory(database, demoPatients: 2);
        var ((mine, patient), (theirs, _)) = await SessionRows.ForTwoPatientsAsync(app, At);

        foreach (var (session, label) in new[] { ((Guid?)theirs, "another patient's session"), (Guid.NewGuid(), "an unknown session"), (null, "no session") })
        {
            // Saved by EF.
            await using (var db = app.NewDbContext())
            {
                db.VitalSigns.Add(Vital(patient, session, "rule-test"));
                AssertRefusedByTheRule(await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync()));
            }

            // Inserted in bulk, one good row beside the bad one: the statement fails whole.
            await using (var db = app.NewDbContext())
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var rows = new List<VitalSignRecord> { Vital(patient, mine, "rule-test"), Vital(patient, session, "rule-test") };
                AssertRefusedByTheRule(await Assert.ThrowsAnyAsync<Exception>(() => new RowInserts().Add(rows).ExecuteAsync(db, CancellationToken.None)));
            }

            await using (var db = app.NewDbContext())
            {
                Assert.True(0 == await db.VitalSigns.CountAsync(v => v.RecordedBy == "rule-test"), label);
            }
        }

        // Moving a stored vital sign to another patient's session is refused as well.
        await using (var db = app.NewDbContext())
        {
            var good = Vital(patient, mine, "rule-test");
            db.VitalSigns.Add(good);
            await db.SaveChangesAsync();
            good.SessionId = theirs;
            AssertRefusedByTheRule(await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync()));
        }

        await using (var db = app.NewDbContext())
        {
            Assert.Equal(mine, (await db.VitalSigns.AsNoTracking().SingleAsync(v => v.RecordedBy == "rule-test")).SessionId);
        }
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task A_session_with_vital_signs_keeps_its_id_and_patient_and_is_not_deleted(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new ClinicAppFactory(database, demoPatients: 2);
        var ((session, patient), (_, other)) = await SessionRows.ForTwoPatientsAsync(app, At);
        await using (var db = app.NewDbContext())
        {
            db.VitalSigns.Add(Vital(patient, session, "rule-test"));
            await db.SaveChangesAsync();
        }

        await using (var db = app.NewDbContext())
        {
            var row = await db.TreatmentSessions.SingleAsync(s => s.Id == session);
            row.PatientId = other;
            AssertRefusedByTheRule(await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync()));
        }

        await using (var db = app.NewDbContext())
        {
            AssertRefusedByTheRule(await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"treatment_sessions\" WHERE \"id\" = {0}", session)));
        }

        await using (var db = app.NewDbContext())
        {
            Assert.Equal(patient, (await db.TreatmentSessions.AsNoTracking().SingleAsync(s => s.Id == session)).PatientId);
        }
    }
}
