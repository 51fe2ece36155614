using System.Text;
using KetaClinic.App.Data;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Monitoring.Hl7;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Hl7;

/// <summary>
/// Turns one MLLP frame from a bedside monitor into stored vital signs and the ACK to send back. AA is returned
/// only after the values and the message log are committed; AE/AR carry an ERR segment saying why. A message
/// whose sender and control id were seen before is acknowledged again but stored once.
/// </summary>
public sealed class VitalsIntake(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ClinicNotifier notifier,
    KetaClinic.Domain.Sessions.SessionSettings sessions,
    KetaClinic.App.Features.Sessions.Sessions chair,
    ILogger<VitalsIntake> logger)
{
    public const string VitalsRecord = "vital-signs";

    /// <summary>Session states in which a patient is at the chair and monitored.</summary>
    public static readonly IReadOnlyList<string> SessionsAtChair = ["checked-in", "pre-dose-checks-passed", "dosing", "monitoring", "recovery"];

    public VitalsMappingSettings Mapping { get; init; } = VitalsMappingSettings.Default;

    /// <summary>Files one frame and returns the ACK to send back (its MSA says AA, AE or AR).</summary>
    public async Task<string> HandleFrameAsync(ReadOnlyMemory<byte> payload, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var options = new Hl7AckOptions(NewControlId(now), now);
        var parsed = Hl7Parser.Parse(payload.Span);
        if (!parsed.IsSuccess)
        {
            await LogRejectedAsync(parsed.Header, parsed.ControlId, remoteAddress, parsed.Error.ToString(), ct);
            return Hl7Ack.ForParseFailure(parsed, options);
        }
        var message = parsed.Message;
        var header = message.Header;
        var mapped = OruVitalsMapper.Map(message, Mapping, clinic.Zone, now);
        if (mapped.Failure is { } failure)
        {
            await LogRejectedAsync(header, header.ControlId, remoteAddress, failure.ToString(), ct);
            return Hl7Ack.ForError(header, failure, options);
        }

        var warnings = mapped.Rejected.Where(r => r.Reason != ObservationRejectionReason.NotAVitalSign).Select(r => r.ToAckWarning()).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var sender = Designator(header.SendingApplication);
        var facility = Designator(header.SendingFacility);
        var previous = await db.Hl7InboundMessages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.SendingApplication == sender && m.SendingFacility == facility && m.ControlId == header.ControlId, ct);
        if (previous is not null)
        {
            // The monitor did not get our ACK and sent again: the first answer stands, nothing is stored twice.
            await tx.RollbackAsync(ct);
            var again = previous.AckCode == "AA"
                ? Hl7Ack.Accept(header, options, warnings)
                : Hl7Ack.ForError(header, new Hl7Error(Hl7ErrorCode.DuplicateKeyIdentifier, $"Message {header.ControlId} was received before and answered {previous.AckCode}: {previous.Error}"), options);
            return again;
        }

        var device = mapped.Accepted.Select(o => o.Device).FirstOrDefault() ?? DeviceFrom(message);
        var keys = DeviceKeys(device);
        var monitor = await db.MonitorDevices.AsNoTracking().Where(d => d.IsActive && keys.Contains(d.DeviceKey)).ToListAsync(ct);
        var chosen = keys.Select(k => monitor.Find(m => m.DeviceKey == k)).FirstOrDefault(m => m is not null);
        Hl7Error? refusal = null;
        TreatmentSession? session = null;
        if (chosen is null)
        {
            refusal = new Hl7Error(Hl7ErrorCode.UnknownKeyIdentifier,
                $"Monitor not registered: none of {string.Join(", ", keys.DefaultIfEmpty("(no device identity in MSH-3/4, OBX-18 or PV1-3)"))} is mapped to a chair.");
        }
        else
        {
            var since = now.AddHours(-sessions.PreDose.VisitWindowHours.Value);
            session = await db.TreatmentSessions.AsNoTracking()
                .Where(s => s.ChairId == chosen.ChairId && SessionsAtChair.Contains(s.Status) && s.ScheduledStart >= since)
                .OrderByDescending(s => s.CheckedInAt).FirstOrDefaultAsync(ct);
            if (session is null)
            {
                refusal = new Hl7Error(Hl7ErrorCode.UnknownKeyIdentifier, "No treatment session is in progress at this monitor's chair; values not stored.");
            }
            else if (mapped.Accepted.Select(o => o.ReportedPatientId).FirstOrDefault(p => p is not null) is { } reported
                && !string.Equals(reported.Split('^')[0], await db.Patients.Where(p => p.Id == session.PatientId).Select(p => p.Mrn).SingleAsync(ct), StringComparison.OrdinalIgnoreCase))
            {
                refusal = new Hl7Error(Hl7ErrorCode.UnknownKeyIdentifier, "PID-3 names a different patient than the one in session at this chair; values not stored.", new Hl7Location("PID", 2, 3));
            }
        }

        var log = NewLog(header, header.ControlId, chosen?.DeviceKey ?? (keys.Count > 0 ? keys[0] : null), remoteAddress, now);
        db.Hl7InboundMessages.Add(log);
        if (refusal is not null)
        {
            log.AckCode = "AE";
            log.Error = Truncate(refusal.ToString(), 500);
            log.ObservationsRejected = mapped.Accepted.Count + mapped.Rejected.Count;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            LogRefused(logger, header.ControlId, refusal.Message);
            // AE, not AR: the message was fine; this clinic cannot file it (unknown monitor, no session, other patient).
            var ae = Hl7Ack.Build(Hl7AckCode.ApplicationError, header, [refusal], options);
            return ae;
        }

        var stored = new List<VitalSignRecord>();
        foreach (var o in mapped.Accepted)
        {
            stored.Add(new VitalSignRecord
            {
                Id = Guid.CreateVersion7(now),
                PatientId = session!.PatientId,
                SessionId = session.Id,
                ChairId = chosen!.ChairId,
                Kind = VitalCodes.Code(o.Kind),
                Value = o.Value.Amount,
                Unit = VitalCodes.Ucum(o.Value.Unit),
                ObservedAt = AuditTrail.TruncateToMicroseconds(o.ObservedAt.ToUniversalTime()),
                Source = "monitor",
                DeviceKey = chosen.DeviceKey,
                InboundMessageId = log.Id,
                ResultStatus = o.ResultStatus,
                RecordedAt = AuditTrail.TruncateToMicroseconds(now),
                RecordedBy = $"hl7:{chosen.DeviceKey}",
            });
        }
        db.VitalSigns.AddRange(stored);
        log.AckCode = "AA";
        log.ObservationsStored = mapped.Accepted.Count;
        log.ObservationsRejected = warnings.Count;
        var actor = new Actor($"hl7:{chosen!.DeviceKey}", chosen.Description ?? chosen.DeviceKey, ["Device"], remoteAddress);
        // The session evaluates the values for alerts in the same transaction (VitalAlerts thresholds).
        var raised = await chair.AddVitalsWithinAsync(db, session!.Id, stored, actor, now, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, VitalsRecord, log.Id.ToString(), session.PatientId,
            new { session = session.Id, controlId = header.ControlId, stored = mapped.Accepted.Count, rejected = warnings.Count, alerts = raised }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await notifier.PublishAsync(new ClinicChange(ClinicNotifier.VitalsChanged, session.PatientId));
        if (raised > 0)
        {
            await notifier.PublishAsync(new ClinicChange(ClinicNotifier.AlertsChanged, session.PatientId));
        }
        var aa = Hl7Ack.Accept(header, options, warnings);
        return aa;
    }

    /// <summary>The ACK for a frame the decoder could not deliver (too large, broken end block).</summary>
    public string RejectFrame(MllpFrameError error, int maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = clock.GetUtcNow();
        var problem = error.Kind switch
        {
            MllpFrameErrorKind.TooLarge => new Hl7Error(Hl7ErrorCode.ApplicationInternalError, $"Frame of {error.PayloadBytes} bytes is larger than the {maxFrameBytes}-byte limit."),
            _ => new Hl7Error(Hl7ErrorCode.SegmentSequenceError, $"Frame not properly ended ({error.Kind})."),
        };
        return Hl7Ack.RejectFrame(error.Head.Span, problem, new Hl7AckOptions(NewControlId(now), now));
    }

    /// <summary>The keys a monitor may be registered under, most specific first.</summary>
    public static IReadOnlyList<string> DeviceKeys(DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var keys = new List<string>();
        if (!string.IsNullOrWhiteSpace(device.EquipmentInstance))
        {
            keys.Add("equipment:" + device.EquipmentInstance);
        }
        if (!string.IsNullOrWhiteSpace(device.BedLocation))
        {
            keys.Add("bed:" + device.BedLocation);
        }
        if (device.SendingApplication is not null || device.SendingFacility is not null)
        {
            keys.Add($"sender:{device.SendingApplication}|{device.SendingFacility}");
        }
        return keys;
    }

    private static DeviceIdentity DeviceFrom(Hl7Message message)
    {
        static string? Text(Hl7HierarchicDesignator d) => d.IsEmpty ? null : d.ToString();
        return new DeviceIdentity(Text(message.Header.SendingApplication), Text(message.Header.SendingFacility), null, null);
    }

    /// <summary>Logs a message answered AR before anything was read from it.</summary>
    private async Task LogRejectedAsync(Hl7Header? header, string? controlId, string? remoteAddress, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var log = NewLog(header, controlId ?? "", null, remoteAddress, clock.GetUtcNow());
        log.AckCode = "AR";
        log.Error = Truncate(error, 500);
        // A rejected message is logged under a fresh id: a resend of an unreadable message must be refused again.
        log.ControlId = Truncate($"{log.ControlId}#rejected-{log.Id:N}", 199);
        db.Hl7InboundMessages.Add(log);
        await db.SaveChangesAsync(ct);
        LogRefused(logger, controlId ?? "(none)", error);
    }

    private static Hl7InboundMessage NewLog(Hl7Header? header, string controlId, string? deviceKey, string? remoteAddress, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SendingApplication = header is null ? "" : Truncate(Designator(header.SendingApplication), 227),
        SendingFacility = header is null ? "" : Truncate(Designator(header.SendingFacility), 227),
        ControlId = Truncate(controlId, 199),
        MessageType = header is null ? "" : Truncate(header.MessageType.ToString(), 20),
        ReceivedAt = AuditTrail.TruncateToMicroseconds(now),
        RemoteAddress = remoteAddress is null ? null : Truncate(remoteAddress, 64),
        DeviceKey = deviceKey is null ? null : Truncate(deviceKey, 300),
    };

    private static string Designator(Hl7HierarchicDesignator d) => d.IsEmpty ? "" : d.ToString();

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static string NewControlId(DateTimeOffset now) => "KC" + now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void LogRefused(ILogger logger, string controlId, string reason) =>
        logger.LogWarning("HL7 message {ControlId} not stored: {Reason}", controlId, reason);
}

/// <summary>How vital kinds and units are written in storage and the API.</summary>
public static class VitalCodes
{
    public static string Code(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "heart-rate",
        VitalKind.SystolicBloodPressure => "systolic-blood-pressure",
        VitalKind.DiastolicBloodPressure => "diastolic-blood-pressure",
        VitalKind.RespiratoryRate => "respiratory-rate",
        VitalKind.OxygenSaturation => "oxygen-saturation",
        VitalKind.BodyTemperature => "body-temperature",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };

    public static string Ucum(VitalUnit unit) => unit switch
    {
        VitalUnit.MillimetresOfMercury => "mm[Hg]",
        VitalUnit.BeatsPerMinute or VitalUnit.BreathsPerMinute => "/min",
        VitalUnit.Percent => "%",
        VitalUnit.DegreesCelsius => "Cel",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
    };
}
