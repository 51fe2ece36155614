using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Hl7;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Monitoring;

public sealed record MonitorView(Guid Id, string DeviceKey, Guid ChairId, string ChairName, string? Description, bool IsActive, DateTimeOffset? LastMessageAt);

public sealed record RegisterMonitorRequest(string? DeviceKey, Guid? ChairId, string? Description);

public sealed record InboundMessageView(Guid Id, DateTimeOffset ReceivedAt, string SendingApplication, string SendingFacility, string ControlId, string MessageType, string? DeviceKey, string AckCode, string? Error, int Stored, int Rejected, string? RemoteAddress);

public sealed record ManualVitalsRequest(decimal? Systolic, decimal? Diastolic, decimal? HeartRate, decimal? OxygenSaturation, decimal? RespiratoryRate, decimal? Temperature, DateTimeOffset? ObservedAt);

public sealed record VitalView(Guid Id, string Kind, decimal Value, string Unit, DateTimeOffset ObservedAt, string Source, string RecordedBy);

/// <summary>Monitors and their chairs, the HL7 message log, and vital signs entered by hand at the chair.</summary>
public sealed class MonitoringService(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicNotifier notifier,
    VitalsIntake intake,
    KetaClinic.App.Features.Sessions.Sessions sessions)
{
    public const string DeviceRecord = "monitor-device";

    private static readonly string[] KeyPrefixes = ["equipment:", "bed:", "sender:"];

    public async Task<Result<IReadOnlyList<MonitorView>>> MonitorsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.DevicesManage))
        {
            return Result<IReadOnlyList<MonitorView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = await db.MonitorDevices.AsNoTracking().Join(db.Chairs, d => d.ChairId, c => c.Id, (d, c) => new { d, c.Name }).ToListAsync(ct);
        var keys = devices.Select(x => x.d.DeviceKey).ToList();
        var last = await db.Hl7InboundMessages.AsNoTracking().Where(m => m.DeviceKey != null && keys.Contains(m.DeviceKey))
            .GroupBy(m => m.DeviceKey).Select(g => new { Key = g.Key!, At = g.Max(m => m.ReceivedAt) }).ToListAsync(ct);
        return Result<IReadOnlyList<MonitorView>>.Ok(devices.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x =>
        {
            var seen = last.Find(l => l.Key == x.d.DeviceKey);
            return new MonitorView(x.d.Id, x.d.DeviceKey, x.d.ChairId, x.Name, x.d.Description, x.d.IsActive, seen?.At);
        }).ToList());
    }

    public async Task<Result<MonitorView>> RegisterAsync(RegisterMonitorRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.DevicesManage))
        {
            return Result<MonitorView>.Forbidden();
        }
        var v = new Validator();
        var key = v.Text("deviceKey", request?.DeviceKey, 300, required: true);
        if (key is not null && (!KeyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || key.Length <= key.IndexOf(':', StringComparison.Ordinal) + 1))
        {
            v.Add("deviceKey", "must be equipment:<OBX-18 equipment id>, bed:<PV1-3 location> or sender:<MSH-3>|<MSH-4>, as the monitor's messages name it.");
        }
        if (request?.ChairId is null)
        {
            v.Add("chairId", "is required.");
        }
        var description = v.Text("description", request?.Description, 200, required: false);
        if (!v.IsValid)
        {
            return Result<MonitorView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var chair = await db.Chairs.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request!.ChairId, ct);
        if (chair is null)
        {
            return Result<MonitorView>.Invalid("chairId", "is not a chair of this clinic.");
        }
        if (await db.MonitorDevices.AnyAsync(d => d.DeviceKey == key, ct))
        {
            return Result<MonitorView>.Invalid("deviceKey", $"{key} is already registered; deactivate it first to move it to another chair.");
        }
        var device = new MonitorDevice { Id = Guid.CreateVersion7(clock.GetUtcNow()), DeviceKey = key!, ChairId = chair.Id, Description = description, CreatedAt = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow()) };
        db.MonitorDevices.Add(device);
        await audit.RecordAsync(db, actor, AuditActions.Create, DeviceRecord, device.Id.ToString(), null, new { device.DeviceKey, chair = chair.Name }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<MonitorView>.Ok(new MonitorView(device.Id, device.DeviceKey, chair.Id, chair.Name, description, true, null));
    }

    public async Task<Result<MonitorView>> DeactivateAsync(Guid id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.DevicesManage))
        {
            return Result<MonitorView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var device = await db.MonitorDevices.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (device is null)
        {
            return Result<MonitorView>.NotFound($"No monitor with id {id}.");
        }
        // A deactivated key is kept for the record but renamed, so the monitor can be registered again elsewhere.
        device.IsActive = false;
        device.DeviceKey = $"retired:{device.Id:N}:{device.DeviceKey}";
        if (device.DeviceKey.Length > 300)
        {
            device.DeviceKey = device.DeviceKey[..300];
        }
        await audit.RecordAsync(db, actor, AuditActions.Update, DeviceRecord, device.Id.ToString(), null, new { change = "deactivated" }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var chair = await db.Chairs.AsNoTracking().SingleAsync(c => c.Id == device.ChairId, ct);
        return Result<MonitorView>.Ok(new MonitorView(device.Id, device.DeviceKey, chair.Id, chair.Name, device.Description, false, null));
    }

    public async Task<Result<IReadOnlyList<InboundMessageView>>> MessageLogAsync(string? ackCode, string? deviceKey, int take, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.DevicesManage))
        {
            return Result<IReadOnlyList<InboundMessageView>>.Forbidden();
        }
        if (take is < 1 or > 1000)
        {
            return Result<IReadOnlyList<InboundMessageView>>.Invalid("take", "must be between 1 and 1000.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Hl7InboundMessages.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(ackCode))
        {
            var code = ackCode.Trim().ToUpperInvariant();
            q = q.Where(m => m.AckCode == code);
        }
        if (!string.IsNullOrWhiteSpace(deviceKey))
        {
            q = q.Where(m => m.DeviceKey == deviceKey.Trim());
        }
        var rows = await q.OrderByDescending(m => m.ReceivedAt).Take(take).ToListAsync(ct);
        return Result<IReadOnlyList<InboundMessageView>>.Ok(rows.Select(m => new InboundMessageView(m.Id, m.ReceivedAt, m.SendingApplication, m.SendingFacility, m.ControlId, m.MessageType, m.DeviceKey, m.AckCode, m.Error, m.ObservationsStored, m.ObservationsRejected, m.RemoteAddress)).ToList());
    }

    /// <summary>Vitals typed in at the chair (the tablet keypad): checked against the same plausibility limits as monitor values.</summary>
    public async Task<Result<IReadOnlyList<VitalView>>> RecordManualAsync(Guid sessionId, ManualVitalsRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.VitalsWrite))
        {
            return Result<IReadOnlyList<VitalView>>.Forbidden();
        }
        if (request is null)
        {
            return Result<IReadOnlyList<VitalView>>.Invalid("body", "is required.");
        }
        var now = clock.GetUtcNow();
        var limits = intake.Mapping.Plausibility;
        var v = new Validator();
        var values = new List<(string Field, VitalKind Kind, decimal Value)>();
        void Take(string field, VitalKind kind, decimal? value)
        {
            if (value is not { } x)
            {
                return;
            }
            var range = limits.For(kind);
            if (!range.Value.Contains(x))
            {
                v.Add(field, string.Create(CultureInfo.InvariantCulture, $"{x} is outside {range.Value.Min}–{range.Value.Max} {VitalSigns.Symbol(VitalSigns.UnitOf(kind))}; check the reading and the unit."));
                return;
            }
            values.Add((field, kind, x));
        }
        Take("systolic", VitalKind.SystolicBloodPressure, request.Systolic);
        Take("diastolic", VitalKind.DiastolicBloodPressure, request.Diastolic);
        Take("heartRate", VitalKind.HeartRate, request.HeartRate);
        Take("oxygenSaturation", VitalKind.OxygenSaturation, request.OxygenSaturation);
        Take("respiratoryRate", VitalKind.RespiratoryRate, request.RespiratoryRate);
        Take("temperature", VitalKind.BodyTemperature, request.Temperature);
        if (request.Systolic is null != request.Diastolic is null)
        {
            v.Add(request.Systolic is null ? "systolic" : "diastolic", "is needed with the other blood pressure value: enter both.");
        }
        else if (request.Systolic is { } sys && request.Diastolic is { } dia && sys <= dia)
        {
            v.Add("systolic", "must be above the diastolic value.");
        }
        if (v.IsValid && values.Count == 0)
        {
            v.Add("body", "enter at least one vital sign.");
        }
        var observedAt = request.ObservedAt ?? now;
        if (observedAt > now.AddMinutes(5))
        {
            v.Add("observedAt", "cannot be in the future.");
        }
        if (!v.IsValid)
        {
            return Result<IReadOnlyList<VitalView>>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await db.TreatmentSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<IReadOnlyList<VitalView>>.NotFound($"No session with id {sessionId}.");
        }
        if (!VitalsIntake.SessionsAtChair.Contains(session.Status))
        {
            return Result<IReadOnlyList<VitalView>>.Conflict($"The session is {session.Status}; vitals are recorded while the patient is at the chair.");
        }
        var records = values.Select(x => new VitalSignRecord
        {
            Id = Guid.CreateVersion7(now),
            PatientId = session.PatientId,
            SessionId = session.Id,
            ChairId = session.ChairId,
            Kind = VitalCodes.Code(x.Kind),
            Value = x.Value,
            Unit = VitalCodes.Ucum(VitalSigns.UnitOf(x.Kind)),
            ObservedAt = AuditTrail.TruncateToMicroseconds(observedAt.ToUniversalTime()),
            Source = "manual",
            ResultStatus = "F",
            RecordedAt = AuditTrail.TruncateToMicroseconds(now),
            RecordedBy = actor.UserName,
        }).ToList();
        db.VitalSigns.AddRange(records);
        var raised = await sessions.AddVitalsWithinAsync(db, session.Id, records, actor, now, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, VitalsIntake.VitalsRecord, session.Id.ToString(), session.PatientId,
            new { source = "manual", kinds = records.Select(r => r.Kind), alerts = raised }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await notifier.PublishAsync(new ClinicChange(ClinicNotifier.VitalsChanged, session.PatientId));
        if (raised > 0)
        {
            await notifier.PublishAsync(new ClinicChange(ClinicNotifier.AlertsChanged, session.PatientId));
        }
        return Result<IReadOnlyList<VitalView>>.Ok(records.Select(ToView).ToList());
    }

    public async Task<Result<IReadOnlyList<VitalView>>> SessionVitalsAsync(Guid sessionId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.VitalsRead))
        {
            return Result<IReadOnlyList<VitalView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await db.TreatmentSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<IReadOnlyList<VitalView>>.NotFound($"No session with id {sessionId}.");
        }
        var rows = await db.VitalSigns.AsNoTracking().Where(x => x.SessionId == sessionId).OrderBy(x => x.ObservedAt).ToListAsync(ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, VitalsIntake.VitalsRecord, sessionId.ToString(), session.PatientId, new { count = rows.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<VitalView>>.Ok(rows.Select(ToView).ToList());
    }

    private static VitalView ToView(VitalSignRecord r) => new(r.Id, r.Kind, r.Value, r.Unit, r.ObservedAt, r.Source, r.RecordedBy);
}

public static class MonitoringApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/monitors", async (MonitoringService m, HttpContext http, CancellationToken ct) => (await m.MonitorsAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.DevicesManage).WithName("ListMonitors");
        api.MapPost("/monitors", async (RegisterMonitorRequest request, MonitoringService m, HttpContext http, CancellationToken ct) =>
                (await m.RegisterAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp(d => TypedResults.Created($"/api/monitors/{d.Id}", d)))
            .RequireAuthorization(Permissions.DevicesManage).WithName("RegisterMonitor");
        api.MapPost("/monitors/{id:guid}/deactivate", async (Guid id, MonitoringService m, HttpContext http, CancellationToken ct) =>
                (await m.DeactivateAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.DevicesManage).WithName("DeactivateMonitor");
        api.MapGet("/hl7/messages", async (string? ack, string? deviceKey, int? take, MonitoringService m, HttpContext http, CancellationToken ct) =>
                (await m.MessageLogAsync(ack, deviceKey, take ?? 100, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.DevicesManage).WithName("Hl7MessageLog");
        api.MapGet("/sessions/{id:guid}/vitals", async (Guid id, MonitoringService m, HttpContext http, CancellationToken ct) =>
                (await m.SessionVitalsAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.VitalsRead).WithName("SessionVitals");
        api.MapPost("/sessions/{id:guid}/vitals", async (Guid id, ManualVitalsRequest request, MonitoringService m, HttpContext http, CancellationToken ct) =>
                (await m.RecordManualAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.VitalsWrite).WithName("RecordSessionVitals");
    }
}
