using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KetaClinic.App.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests.Infrastructure;

/// <summary>Chairs with a registered monitor and a checked-in session, for tests that feed monitor messages.</summary>
internal static class MonitoredChairs
{
    /// <summary>A free local port for an app's HL7 listener.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Settings for an app whose HL7 listener is on <paramref name="port"/>, keeping idle monitors a minute.</summary>
    public static Dictionary<string, string> Hl7Settings(int port) =>
        new() { ["Hl7:Port"] = port.ToString(CultureInfo.InvariantCulture), ["Hl7:IdleTimeoutSeconds"] = "60" };

    /// <summary>An app on <paramref name="database"/> with two demo patients, its HL7 listener on <paramref name="port"/>, whose contexts run <paramref name="interceptor"/>.</summary>
    public static ClinicAppFactory AppWith(TestDatabase database, int port, IInterceptor interceptor) =>
        new(database, demoPatients: 2, Hl7Settings(port), services => services.ConfigureDbContext<ClinicDbContext>(o => o.AddInterceptors(interceptor)));

    /// <summary>A device prefix of the simulator's monitors, unique to one test.</summary>
    public static string DevicePrefix(string tag) => tag + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "-";

    /// <summary>Whether <paramref name="transaction"/> files an AA message from <paramref name="deviceKey"/> (asked in the transaction itself).</summary>
    public static async Task<bool> FilesMessageFromAsync(DbTransaction transaction, string deviceKey, CancellationToken ct)
    {
        await using var probe = transaction.Connection!.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = "SELECT COUNT(*) FROM hl7_inbound_messages WHERE device_key = @key AND ack_code = 'AA'";
        var key = probe.CreateParameter();
        key.ParameterName = "@key";
        key.Value = deviceKey;
        probe.Parameters.Add(key);
        return Convert.ToInt64(await probe.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>A new chair whose monitor is <c>equipment:{equipment}</c>, with a patient checked in at it (status and check-in event).</summary>
    public static async Task<Guid> AddAsync(ClinicAppFactory app, string equipment)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var db = app.NewDbContext();
        var location = await db.Locations.FirstAsync();
        var chair = new Chair { Id = Guid.NewGuid(), LocationId = location.Id, Name = "Sim chair " + Guid.NewGuid().ToString("N")[..6], HasMonitor = true };
        db.Chairs.Add(chair);
        db.MonitorDevices.Add(new MonitorDevice { Id = Guid.NewGuid(), DeviceKey = "equipment:" + equipment, ChairId = chair.Id, Description = "Simulated monitor", CreatedAt = now });
        var patient = await db.Patients.OrderBy(p => p.Mrn).FirstAsync();
        var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = patient.Id, LocationId = location.Id, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = now };
        db.TreatmentCourses.Add(course);
        var session = new TreatmentSession { Id = Guid.NewGuid(), CourseId = course.Id, PatientId = patient.Id, LocationId = location.Id, ChairId = chair.Id, SequenceNumber = 1, ScheduledStart = now.AddMinutes(-20), Status = "checked-in", CheckedInAt = now.AddMinutes(-25) };
        db.TreatmentSessions.Add(session);
        db.SessionEvents.Add(CheckInEvent(session));
        await db.SaveChangesAsync();
        return session.Id;
    }

    /// <summary>The check-in as the chair workflow stores it, so the session takes monitor values.</summary>
    public static SessionEventRow CheckInEvent(TreatmentSession session) => new()
    {
        SessionId = session.Id,
        Sequence = 1,
        Kind = "check-in",
        Payload = "{}",
        ActorId = "test-nurse",
        ActorName = "Test nurse",
        ActorRole = "nurse",
        At = session.CheckedInAt!.Value,
    };
}
