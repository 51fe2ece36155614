using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Monitoring;
using KetaClinic.App.Hl7;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary>Bedside monitors over real TCP: MLLP framing, ACK after storage, duplicates, timeouts, many monitors.</summary>
public abstract class Hl7ListenerTests(AppFixture fixture)
{
    private ClinicAppFactory App => fixture.App;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static string Hl7Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";

    internal static string Oru(string controlId, string equipment, int systolic = 128, int diastolic = 82, int heartRate = 72, int spo2 = 97, string? pid = null)
    {
        var t = Hl7Time(Now.AddSeconds(-30));
        return string.Join('\r',
            $"MSH|^~\\&|BEDSIDE|CLINIC|KETACLINIC|CLINIC|{t}||ORU^R01^ORU_R01|{controlId}|P|2.6|||AL|NE||UNICODE UTF-8",
            $"PID|||{pid ?? ""}",
            $"OBR|1|||VITALS|||{t}",
            $"OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||{systolic}|266016^MDC_DIM_MMHG^MDC|||||R|||{t}||||{equipment}",
            $"OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||{diastolic}|266016^MDC_DIM_MMHG^MDC|||||R|||{t}||||{equipment}",
            $"OBX|3|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC||{heartRate}|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||{t}||||{equipment}",
            $"OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||{spo2}|262688^MDC_DIM_PERCENT^MDC|||||R|||{t}||||{equipment}") + "\r";
    }

    private async Task<int> PortAsync() => await App.Services.GetRequiredService<MllpServer>().BoundPort;

    /// <summary>A chair with a registered monitor and a session checked in at it through the workflow's check-in event.</summary>
    private async Task<(string Equipment, Guid SessionId, Guid PatientId, string Mrn)> ChairInSessionAsync(TimeSpan? bookedAgo = null)
    {
        await using var db = App.NewDbContext();
        var location = await db.Locations.Include(l => l.Chairs).FirstAsync();
        var chair = new Chair { Id = Guid.NewGuid(), LocationId = location.Id, Name = "Test chair " + Guid.NewGuid().ToString("N")[..6], HasMonitor = true };
        db.Chairs.Add(chair);
        var equipment = "EUI" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        db.MonitorDevices.Add(new MonitorDevice { Id = Guid.NewGuid(), DeviceKey = "equipment:" + equipment, ChairId = chair.Id, Description = "Test monitor", CreatedAt = Now });
        var patient = await db.Patients.OrderBy(p => p.Mrn).FirstAsync();
        var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = patient.Id, LocationId = location.Id, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = Now };
        db.TreatmentCourses.Add(course);
        var session = new TreatmentSession { Id = Guid.NewGuid(), CourseId = course.Id, PatientId = patient.Id, LocationId = location.Id, ChairId = chair.Id, SequenceNumber = 1, ScheduledStart = Now - (bookedAgo ?? TimeSpan.FromMinutes(20)), Status = "checked-in", CheckedInAt = Now.AddMinutes(-5) };
        db.TreatmentSessions.Add(session);
        db.SessionEvents.Add(MonitoredChairs.CheckInEvent(session));
        await db.SaveChangesAsync();
        return (equipment, session.Id, patient.Id, patient.Mrn);
    }

    /// <summary>Sends one MLLP frame and reads the ACK frame back.</summary>
    internal static async Task<string> SendAsync(NetworkStream stream, string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        await stream.WriteAsync(new byte[] { 0x0B }.Concat(bytes).Concat(new byte[] { 0x1C, 0x0D }).ToArray());
        return await ReadFrameAsync(stream);
    }

    internal static async Task<string> ReadFrameAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(received.Count >= 2 && received[^2] == 0x1C && received[^1] == 0x0D))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(n > 0, "the connection closed before an ACK arrived");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        Assert.Equal(0x0B, received[0]);
        return Encoding.UTF8.GetString(received.Skip(1).Take(received.Count - 3).ToArray());
    }

    private static string Msa(string ack) => ack.Split('\r').Single(s => s.StartsWith("MSA|", StringComparison.Ordinal));

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", await PortAsync());
        return client;
    }

    [Fact]
    public async Task A_monitor_message_is_stored_for_the_session_at_its_chair_and_acknowledged_AA_after_storage()
    {
        var (equipment, sessionId, patientId, _) = await ChairInSessionAsync();
        using var client = await ConnectAsync();
        var control = "MSG" + Guid.NewGuid().ToString("N")[..10];
        var ack = await SendAsync(client.GetStream(), Oru(control, equipment));
        Assert.StartsWith("MSH|^~\\&|KETACLINIC|CLINIC|BEDSIDE|CLINIC|", ack, StringComparison.Ordinal);
        Assert.Equal($"MSA|AA|{control}", Msa(ack));

        await using var db = App.NewDbContext();
        var vitals = await db.VitalSigns.Where(v => v.SessionId == sessionId).ToListAsync();
        Assert.Equal(4, vitals.Count);
        Assert.All(vitals, v => Assert.Equal(patientId, v.PatientId));
        Assert.Equal(128m, vitals.Single(v => v.Kind == "systolic-blood-pressure").Value);
        Assert.Equal("mm[Hg]", vitals.Single(v => v.Kind == "systolic-blood-pressure").Unit);
        Assert.Equal("monitor", vitals[0].Source);
        var log = await db.Hl7InboundMessages.SingleAsync(m => m.ControlId == control);
        Assert.Equal("AA", log.AckCode);
        Assert.Equal(4, log.ObservationsStored);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == VitalsIntake.VitalsRecord && a.PatientId == patientId && a.RecordId == log.Id.ToString()));
    }

    [Fact]
    public async Task Monitor_values_go_through_the_chair_workflow_from_message_to_message_and_see_what_the_nurse_did_in_between()
    {
        var (equipment, sessionId, _, _) = await ChairInSessionAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        using var client = await ConnectAsync();
        async Task<List<Features.Sessions.AlertView>> AlertsAfterAsync(int spo2)
        {
            Assert.StartsWith("MSA|AA|", Msa(await SendAsync(client.GetStream(), Oru("WF" + Guid.NewGuid().ToString("N")[..10], equipment, spo2: spo2))), StringComparison.Ordinal);
            var view = await nurse.GetFromJsonAsync<Features.Sessions.SessionView>($"/api/sessions/{sessionId}", SessionTests.Json);
            return [.. view!.Alerts];
        }

        var first = Assert.Single(await AlertsAfterAsync(86));
        Assert.True(first.IsOpen);
        Assert.Contains("SpO", first.Message, StringComparison.OrdinalIgnoreCase);
        // Still open: the next low value does not raise the same alert again.
        Assert.Single(await AlertsAfterAsync(85));

        // The nurse acknowledges between two messages; the intake must build on that, not on what it held before.
        (await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/alerts/{first.Number}/acknowledge", new { action = "Chin lift, oxygen 2 L/min" })).EnsureSuccessStatusCode();
        var alerts = await AlertsAfterAsync(84);
        Assert.Equal(2, alerts.Count);
        Assert.False(alerts.Single(a => a.Number == first.Number).IsOpen);
        Assert.True(alerts.Single(a => a.Number != first.Number).IsOpen);

        await using var db = App.NewDbContext();
        var events = await db.SessionEvents.Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Kind }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Sequence));
        Assert.Equal(["check-in", "vitals", "vitals", "acknowledge-alert", "vitals"], events.Select(e => e.Kind));
        Assert.Equal(12, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
    }

    [Fact]
    public async Task A_patient_checked_in_long_after_the_booked_time_gets_the_monitor_values()
    {
        var (equipment, sessionId, _, _) = await ChairInSessionAsync(bookedAgo: TimeSpan.FromHours(14));
        using var client = await ConnectAsync();
        Assert.StartsWith("MSA|AA|", Msa(await SendAsync(client.GetStream(), Oru("LATE" + Guid.NewGuid().ToString("N")[..10], equipment))), StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.Equal(4, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
        Assert.Equal(["check-in", "vitals"], await db.SessionEvents.Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync());
    }

    [Fact]
    public async Task A_resent_message_is_acknowledged_again_but_stored_once()
    {
        var (equipment, sessionId, _, _) = await ChairInSessionAsync();
        using var client = await ConnectAsync();
        var message = Oru("DUP" + Guid.NewGuid().ToString("N")[..10], equipment);
        Assert.StartsWith("MSA|AA|", Msa(await SendAsync(client.GetStream(), message)), StringComparison.Ordinal);
        Assert.StartsWith("MSA|AA|", Msa(await SendAsync(client.GetStream(), message)), StringComparison.Ordinal);
        using var other = await ConnectAsync();
        Assert.StartsWith("MSA|AA|", Msa(await SendAsync(other.GetStream(), message)), StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.Equal(4, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
    }

    [Fact]
    public async Task An_unknown_monitor_gets_AE_with_an_error_segment_and_nothing_is_stored()
    {
        using var client = await ConnectAsync();
        var control = "UNK" + Guid.NewGuid().ToString("N")[..10];
        var ack = await SendAsync(client.GetStream(), Oru(control, "NOT-REGISTERED-1"));
        Assert.StartsWith("MSA|AE|" + control, Msa(ack), StringComparison.Ordinal);
        var err = ack.Split('\r').Single(s => s.StartsWith("ERR|", StringComparison.Ordinal));
        Assert.Contains("204", err, StringComparison.Ordinal);
        Assert.Contains("not registered", err, StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.False(await db.VitalSigns.AnyAsync(v => v.DeviceKey == "equipment:NOT-REGISTERED-1"));
    }

    [Fact]
    public async Task A_malformed_message_gets_a_protocol_level_rejection_and_the_connection_stays_usable()
    {
        var (equipment, sessionId, _, _) = await ChairInSessionAsync();
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        var rejected = await SendAsync(stream, "this is not HL7\r");
        Assert.StartsWith("MSA|AR|", Msa(rejected), StringComparison.Ordinal);
        var wrongType = await SendAsync(stream, Oru("ADT" + Guid.NewGuid().ToString("N")[..8], equipment).Replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01", StringComparison.Ordinal));
        Assert.StartsWith("MSA|AR|", Msa(wrongType), StringComparison.Ordinal);
        // Too large for a frame: rejected without being buffered, and the next message still goes through.
        var huge = await SendAsync(stream, "MSH|^~\\&|BIG|" + new string('X', 20_000) + "\r");
        Assert.StartsWith("MSA|AR|", Msa(huge), StringComparison.Ordinal);
        Assert.StartsWith("MSA|AA|", Msa(await SendAsync(stream, Oru("OK" + Guid.NewGuid().ToString("N")[..10], equipment))), StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.Equal(4, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
    }

    [Fact]
    public async Task Implausible_values_are_rejected_and_logged_not_stored_as_vitals()
    {
        var (equipment, sessionId, _, _) = await ChairInSessionAsync();
        using var client = await ConnectAsync();
        var ack = await SendAsync(client.GetStream(), Oru("IMP" + Guid.NewGuid().ToString("N")[..10], equipment, heartRate: 900, spo2: 140));
        Assert.StartsWith("MSA|AA|", Msa(ack), StringComparison.Ordinal);
        Assert.Contains(ack.Split('\r'), s => s.StartsWith("ERR|", StringComparison.Ordinal) && s.Contains("|W|", StringComparison.Ordinal));
        await using var db = App.NewDbContext();
        var kinds = await db.VitalSigns.Where(v => v.SessionId == sessionId).Select(v => v.Kind).ToListAsync();
        Assert.Equal(["diastolic-blood-pressure", "systolic-blood-pressure"], kinds.Order().ToArray());
    }

    [Fact]
    public async Task A_message_naming_another_patient_than_the_one_in_the_chair_is_refused()
    {
        var (equipment, sessionId, _, mrn) = await ChairInSessionAsync();
        using var client = await ConnectAsync();
        var ok = await SendAsync(client.GetStream(), Oru("PID" + Guid.NewGuid().ToString("N")[..10], equipment, pid: mrn + "^^^KETACLINIC^MR"));
        Assert.StartsWith("MSA|AA|", Msa(ok), StringComparison.Ordinal);
        var wrong = await SendAsync(client.GetStream(), Oru("PIX" + Guid.NewGuid().ToString("N")[..10], equipment, pid: "KC00000000"));
        Assert.StartsWith("MSA|AE|", Msa(wrong), StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.Equal(4, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
    }

    [Fact]
    public async Task Many_monitors_send_at_once_and_every_message_is_stored_and_acknowledged()
    {
        var chairs = new List<(string Equipment, Guid SessionId)>();
        for (var i = 0; i < 8; i++)
        {
            var (equipment, sessionId, _, _) = await ChairInSessionAsync();
            chairs.Add((equipment, sessionId));
        }
        var acks = await Task.WhenAll(chairs.Select(async c =>
        {
            using var client = await ConnectAsync();
            var results = new List<string>();
            for (var m = 0; m < 5; m++)
            {
                results.Add(Msa(await SendAsync(client.GetStream(), Oru($"M{m}-{Guid.NewGuid():N}"[..20], c.Equipment, heartRate: 70 + m))));
            }
            return results;
        }));
        Assert.All(acks.SelectMany(a => a), a => Assert.StartsWith("MSA|AA|", a, StringComparison.Ordinal));
        await using var db = App.NewDbContext();
        foreach (var (_, sessionId) in chairs)
        {
            Assert.Equal(20, await db.VitalSigns.CountAsync(v => v.SessionId == sessionId));
        }
        // The intake reads the chain head with its other reads and moves it with its inserts: the chain stays whole,
        // with one entry for each stored message.
        var chain = await AuditTrail.VerifyAsync(db, CancellationToken.None);
        Assert.True(chain.Intact, chain.Problem);
        var devices = chairs.Select(c => "hl7:equipment:" + c.Equipment).ToList();
        Assert.Equal(40, await db.AuditEntries.CountAsync(e => devices.Contains(e.UserId) && e.RecordType == VitalsIntake.VitalsRecord));
    }

    [Fact]
    public async Task The_administrator_registers_and_retires_a_monitor_and_reads_the_message_log()
    {
        var (_, sessionId, _, _) = await ChairInSessionAsync();
        Guid chairId;
        await using (var db = App.NewDbContext())
        {
            chairId = (await db.TreatmentSessions.SingleAsync(s => s.Id == sessionId)).ChairId!.Value;
        }
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var bad = await admin.PostAsJsonAsync("/api/monitors", new { deviceKey = "monitor 7", chairId });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("deviceKey", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var equipment = "REG" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/api/monitors", new { deviceKey = "equipment:" + equipment, chairId, description = "Spare monitor" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var monitor = (await created.Content.ReadFromJsonAsync<MonitorView>(json))!;
        var twice = await admin.PostAsJsonAsync("/api/monitors", new { deviceKey = "equipment:" + equipment, chairId });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);

        using var client = await ConnectAsync();
        Assert.StartsWith("MSA|AA|", Msa(await SendAsync(client.GetStream(), Oru("R1" + Guid.NewGuid().ToString("N")[..10], equipment))), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/monitors/{monitor.Id}/deactivate", null)).StatusCode);
        var control = "R2" + Guid.NewGuid().ToString("N")[..10];
        Assert.StartsWith("MSA|AE|", Msa(await SendAsync(client.GetStream(), Oru(control, equipment))), StringComparison.Ordinal);

        var log = await admin.GetFromJsonAsync<List<InboundMessageView>>("/api/hl7/messages?ack=AE&take=50", json);
        Assert.Contains(log!, m => m.ControlId == control && m.Error!.Contains("not registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_nurse_enters_vitals_by_hand_with_errors_named_by_field()
    {
        var (equipment, sessionId, _, _) = await ChairInSessionAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var half = await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/vitals", new { systolic = 130 });
        Assert.Contains("diastolic", await half.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var absurd = await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/vitals", new { heartRate = 720, oxygenSaturation = 97 });
        Assert.Equal(HttpStatusCode.BadRequest, absurd.StatusCode);
        Assert.Contains("heartRate", await absurd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var inverted = await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/vitals", new { systolic = 80, diastolic = 95 });
        Assert.Equal(HttpStatusCode.BadRequest, inverted.StatusCode);
        await using (var db = App.NewDbContext())
        {
            Assert.False(await db.VitalSigns.AnyAsync(v => v.SessionId == sessionId));
        }

        var ok = await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/vitals", new { systolic = 138, diastolic = 86, heartRate = 88 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var client = await ConnectAsync();
        await SendAsync(client.GetStream(), Oru("MV" + Guid.NewGuid().ToString("N")[..10], equipment));
        var vitals = (await nurse.GetFromJsonAsync<List<VitalView>>($"/api/sessions/{sessionId}/vitals", json))!;
        Assert.Equal(3, vitals.Count(v => v.Source == "manual"));
        Assert.Equal(4, vitals.Count(v => v.Source == "monitor"));
        Assert.Equal("nurse@demo.clinic", vitals.First(v => v.Source == "manual").RecordedBy);
    }

    [Fact]
    public async Task Idle_and_half_open_connections_are_closed()
    {
        using var idle = await ConnectAsync();
        using var halfOpen = await ConnectAsync();
        await halfOpen.GetStream().WriteAsync(new byte[] { 0x0B, (byte)'M', (byte)'S', (byte)'H' });
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // The server closes both: a read returns 0 (end of stream) instead of hanging.
        Assert.Equal(0, await halfOpen.GetStream().ReadAsync(buffer, timeout.Token));
        Assert.Equal(0, await idle.GetStream().ReadAsync(buffer, timeout.Token));
    }
}

public sealed class Hl7ListenerTests_Sqlite(SqliteApp f) : Hl7ListenerTests(f), IClassFixture<SqliteApp>;

public sealed class Hl7ListenerTests_Postgres(PostgresApp f) : Hl7ListenerTests(f), IClassFixture<PostgresApp>;
