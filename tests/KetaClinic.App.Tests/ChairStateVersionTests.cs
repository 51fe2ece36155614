using KetaClinic.App.Data;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>
/// The database counts every change to what the HL7 intake keeps between batches (migration V14): monitors, sessions,
/// patients' MRNs and session steps, except the steps the intake stores itself (vital signs from a monitor). A change
/// it failed to count would leave the intake filing values under a stale view of the chairs.
/// </summary>
public sealed class ChairStateVersionTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Every_change_the_intake_depends_on_moves_the_version_and_its_own_steps_do_not(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new ClinicAppFactory(database, demoPatients: 2);
        var ((session, patient), _) = await SessionRows.ForTwoPatientsAsync(app, At);
        Guid chair;
        await using (var db = app.NewDbContext())
        {
            chair = await db.Chairs.Select(c => c.Id).FirstAsync();
        }

        var sequence = 0;
        string Event(string kind, string actor) =>
            $"INSERT INTO \"session_events\" (\"session_id\", \"sequence\", \"kind\", \"payload\", \"actor_id\", \"actor_name\", \"actor_role\", \"at\") VALUES ({{0}}, {++sequence}, '{kind}', '{{{{}}}}', '{actor}', 'x', 'other', {{1}})";
        var monitor = Guid.NewGuid();
        var changes = new (string What, string Sql, object[] Values, bool Counts)[]
        {
            ("a monitor's vital signs step", Event("vitals", "hl7:equipment:M1"), [session, At], false),
            ("a nurse's vital signs step", Event("vitals", "nurse-1"), [session, At], true),
            ("another step under a monitor's name", Event("check-in", "hl7:equipment:M1"), [session, At], true),
            ("a session's status", "UPDATE \"treatment_sessions\" SET \"status\" = 'checked-in' WHERE \"id\" = {0}", [session], true),
            ("a session's chair", "UPDATE \"treatment_sessions\" SET \"chair_id\" = {0} WHERE \"id\" = {1}", [chair, session], true),
            ("a patient's MRN", "UPDATE \"patients\" SET \"mrn\" = 'MRN-CHG-1' WHERE \"id\" = {0}", [patient], true),
            ("a patient's preferred name", "UPDATE \"patients\" SET \"preferred_name\" = 'Sam' WHERE \"id\" = {0}", [patient], false),
            ("a monitor registered", "INSERT INTO \"monitor_devices\" (\"id\", \"device_key\", \"chair_id\", \"description\", \"is_active\", \"created_at\") VALUES ({0}, 'equipment:M1', {1}, 'm', TRUE, {2})", [monitor, chair, At], true),
            ("a monitor retired", "UPDATE \"monitor_devices\" SET \"is_active\" = FALSE WHERE \"id\" = {0}", [monitor], true),
            ("a monitor removed", "DELETE FROM \"monitor_devices\" WHERE \"id\" = {0}", [monitor], true),
        };

        foreach (var (what, sql, values, counts) in changes)
        {
            await using var db = app.NewDbContext();
            var before = await VersionAsync(db);
            await db.Database.ExecuteSqlRawAsync(sql, values);
            var after = await VersionAsync(db);
            Assert.True(counts ? after > before : after == before, $"{what}: version {before} -> {after}");
        }
    }

    private static async Task<long> VersionAsync(ClinicDbContext db) =>
        (await db.ChairStateVersions.AsNoTracking().SingleAsync(v => v.Id == 1)).Version;
}
