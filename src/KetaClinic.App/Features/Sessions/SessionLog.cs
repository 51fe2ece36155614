using System.Text.Json;
using System.Text.Json.Serialization;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Plans;
using KetaClinic.App.Hl7;
using KetaClinic.App.Security;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using SessionRow = KetaClinic.App.Data.TreatmentSession;
using Workflow = KetaClinic.Domain.Sessions.TreatmentSession;

namespace KetaClinic.App.Features.Sessions;

/// <summary>A session as stored: its row, the aggregate rebuilt from its events, and what was needed to rebuild it.</summary>
public sealed record LoadedSession(SessionRow Row, Workflow Session, PlannedDose Plan, List<SessionEventRow> Events, ChairFacts Facts)
{
    /// <summary>The sequence number of the last event applied (0 before the first); the next event takes the one after.</summary>
    /// <remarks>Kept apart from <see cref="Events"/>, so a holder that keeps the rebuilt session may let the event rows go.</remarks>
    public int LastSequence { get; set; } = Events.Count == 0 ? 0 : Events[^1].Sequence;
}

/// <summary>
/// Stores a session's accepted commands (session_events) and rebuilds the domain aggregate by replaying them
/// through its methods, so every rule the domain enforces holds for what is stored. Runs inside the caller's
/// transaction: a command and its audit entry are saved together or not at all.
/// </summary>
public sealed partial class SessionLog(IPlannedDoses plannedDoses, SessionSettings settings, TimeProvider clock, ILogger<SessionLog> logger)
{
    public const string SessionRecord = "treatment-session";

    /// <summary>Earlier settings versions read back so far (a version never changes); the current one is not kept here.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SessionSettings> _versions = new(StringComparer.Ordinal);

    /// <summary>The version of the current settings, stored with every new step.</summary>
    public string SettingsVersion { get; } = ClinicalSettings.VersionOf(ClinicalSettings.Snapshot(settings));

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public SessionSettings Settings => settings;

    /// <summary>Stores the current settings version once (at start), so steps stored under it can be replayed under it later.</summary>
    public async Task RecordSettingsVersionAsync(ClinicDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.SessionSettingsVersions.AnyAsync(v => v.Id == SettingsVersion, ct))
        {
            return;
        }

        db.SessionSettingsVersions.Add(new SessionSettingsVersion { Id = SettingsVersion, Settings = ClinicalSettings.Snapshot(settings), RecordedAt = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow()) });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance may have recorded the same version at the same moment; anything else is a real failure.
            db.ChangeTracker.Clear();
            if (!await db.SessionSettingsVersions.AsNoTracking().AnyAsync(v => v.Id == SettingsVersion, ct))
            {
                throw;
            }
        }
    }

    /// <summary>Reads the settings versions the given steps were applied under, for <see cref="ApplyAll"/>.</summary>
    public async Task LoadSettingsAsync(ClinicDbContext db, IEnumerable<SessionEventRow> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        var wanted = events.Select(e => e.SettingsVersion).OfType<string>().Where(v => v != SettingsVersion && !_versions.ContainsKey(v)).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var found = await db.SessionSettingsVersions.AsNoTracking().Where(v => wanted.Contains(v.Id)).ToListAsync(ct);
        foreach (var version in wanted)
        {
            _versions[version] = Readable(version, found.Find(v => v.Id == version));
        }
    }

    /// <summary>A stored version's settings; when lost or unreadable, today's (as before versions were kept), with a warning.</summary>
    private SessionSettings Readable(string version, SessionSettingsVersion? stored)
    {
        if (stored is null)
        {
            LogVersionUnreadable(logger, version, "no such version is stored");
            return settings;
        }
        try
        {
            return ClinicalSettings.FromSnapshot(stored.Settings, settings);
        }
        catch (JsonException ex)
        {
            LogVersionUnreadable(logger, version, ex.Message);
            return settings;
        }
    }

    /// <summary>A stored settings version as recorded (for staff), or null when there is none by that name.</summary>
    public static Task<SessionSettingsVersion?> StoredVersionAsync(ClinicDbContext db, string version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.SessionSettingsVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == version, ct);
    }

    /// <summary>The settings a stored step was applied under: its version, or today's for a step stored before versions.</summary>
    public SessionSettings SettingsOf(SessionEventRow e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.SettingsVersion is { } v && v != SettingsVersion && _versions.TryGetValue(v, out var then) ? then : settings;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session settings version {Version} cannot be read ({Reason}); its steps are replayed under the current settings")]
    private static partial void LogVersionUnreadable(ILogger logger, string version, string reason);

    /// <summary>The session's stored status code for a workflow state (a discharged session is "completed").</summary>
    public static string StatusOf(SessionState state) => state == SessionState.Discharged ? "completed" : state.Code();

    /// <summary>Loads and replays one session; null when there is no such session. Throws when the course has no known protocol.</summary>
    /// <param name="asOf">The instant of the command about to be applied (the booking opens the history no later than it).</param>
    public async Task<LoadedSession?> LoadAsync(ClinicDbContext db, Guid sessionId, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var row = await db.TreatmentSessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (row is null)
        {
            return null;
        }

        var events = await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Sequence).ToListAsync(ct);
        await LoadSettingsAsync(db, events, ct);
        var vitalIds = VitalIdsOf(events);
        var vitals = vitalIds.Count == 0 ? [] : await db.VitalSigns.AsNoTracking().Where(v => v.SessionId == sessionId).ToListAsync(ct);
        var plan = await plannedDoses.ForCourseAsync(db, row.CourseId, ct)
            ?? throw new SessionSetupException($"The session's course {row.CourseId} has no protocol the clinic knows; the chair workflow needs one.");
        return Replay(row, plan, events, vitals.Where(v => vitalIds.Contains(v.Id)).ToDictionary(v => v.Id), asOf);
    }

    private LoadedSession Replay(SessionRow row, PlannedDose plan, List<SessionEventRow> events, Dictionary<Guid, VitalSignRecord> vitals, DateTimeOffset? asOf)
    {
        // The booking opens the history: no later than the appointment, the first step taken, or now (an early check-in).
        var now = AuditTrail.TruncateToMicroseconds(asOf ?? clock.GetUtcNow());
        var bookedAt = new[] { row.ScheduledStart, events.Count > 0 ? events[0].At : now, now }.Min();
        var session = Workflow.Schedule(row.Id, row.PatientId, plan.Protocol, row.ChairId?.ToString() ?? "unassigned", row.ScheduledStart,
            new SessionActor("booking", "Booking", StaffRole.Other), bookedAt);
        var facts = ApplyAll(session, plan, events, vitals, new ChairFacts(null, null, null, null, null, null, null, null, false));
        return new LoadedSession(row, session, plan, events, facts);
    }

    /// <summary>The vital-sign rows the stored vitals events name.</summary>
    internal static HashSet<Guid> VitalIdsOf(IEnumerable<SessionEventRow> events) =>
        events.Where(e => e.Kind == SessionEventKinds.Vitals).SelectMany(e => Read<VitalsPayload>(e).VitalIds).ToHashSet();

    /// <summary>Applies stored events in order; a refused one means the session cannot be rebuilt (<see cref="SessionSetupException"/>).</summary>
    internal ChairFacts ApplyAll(Workflow session, PlannedDose plan, IEnumerable<SessionEventRow> events, IReadOnlyDictionary<Guid, VitalSignRecord> vitals, ChairFacts facts)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            try
            {
                facts = Apply(session, plan, e, vitals, facts);
            }
            catch (Exception ex) when (ex is SessionTransitionException or KetaClinic.Domain.Common.DomainValidationException)
            {
                throw new SessionSetupException($"Session {session.Id} cannot be rebuilt: its event {e.Sequence} ({e.Kind}) is refused under the current settings: {ex.Message}");
            }
        }

        return facts;
    }

    /// <summary>Applies one stored command to the aggregate; returns the chair facts as they stand after it.</summary>
    internal ChairFacts Apply(Workflow session, PlannedDose plan, SessionEventRow e, IReadOnlyDictionary<Guid, VitalSignRecord> vitals, ChairFacts facts)
    {
        var by = ActorOf(e);
        var settings = SettingsOf(e);
        switch (e.Kind)
        {
            case SessionEventKinds.CheckIn:
                session.CheckIn(by, e.At);
                break;
            case SessionEventKinds.ChairFacts:
                return Merge(facts, Read<ChairFacts>(e), by, e.At);
            case SessionEventKinds.OverrideGate:
                var o = Read<GateOverridePayload>(e);
                session.OverrideGate(o.Gate, o.Reason, o.Facts, settings, by, e.At);
                break;
            case SessionEventKinds.PassChecks:
                session.PassPreDoseChecks(Read<PassChecksPayload>(e).Facts, settings, by, e.At);
                break;
            case SessionEventKinds.StartDosing:
                session.StartDosing(settings, by, e.At);
                break;
            case SessionEventKinds.CompleteDosing:
                session.CompleteDosing(BuildRecord(session, plan.Protocol, Read<DosingPayload>(e), settings), by, e.At);
                break;
            case SessionEventKinds.Vitals:
                session.RecordVitals(Read<VitalsPayload>(e).VitalIds.Where(vitals.ContainsKey).Select(id => Observation(vitals[id])), settings);
                break;
            case SessionEventKinds.AcknowledgeAlert:
                var a = Read<AcknowledgePayload>(e);
                session.AcknowledgeAlert(a.AlertNumber, a.Action, by, e.At);
                break;
            case SessionEventKinds.BeginRecovery:
                session.BeginRecovery(by, e.At);
                break;
            case SessionEventKinds.DischargeAssessment:
                var d = Read<AssessmentPayload>(e);
                session.RecordDischargeAssessment(new DischargeAssessment(d.AlertAndOriented, d.WalksSteadily, d.NauseaOrVomitingNeedingTreatment,
                    d.DissociationResolved, d.CompanionPresentName, d.NoDrivingUntilNextDayAcknowledged, d.ClinicianJudgesStable,
                    d.ReadyToLeaveWithoutTwoHourRuleAt, by, e.At));
                break;
            case SessionEventKinds.Discharge:
                session.Discharge(settings, by, e.At);
                break;
            case SessionEventKinds.DischargeOverride:
                session.DischargeWithOverride(Read<DischargeOverridePayload>(e).Reason, settings, by, e.At);
                break;
            case SessionEventKinds.StopEarly:
                var s = Read<StopPayload>(e);
                session.StopEarly(s.Reason, s.FollowUp, by, e.At);
                break;
            case SessionEventKinds.SideEffect:
                session.RecordSideEffect(Read<SideEffectEntry>(e), settings, by, e.At);
                break;
            case SessionEventKinds.Escalate:
                session.Escalate(e.At, settings);
                break;
            case SessionEventKinds.RaiseOverdue:
                session.RaiseOverdueAlerts(e.At, settings);
                break;
            case SessionEventKinds.Cancel:
                session.Cancel(Read<ReasonPayload>(e).Reason, by, e.At);
                break;
            case SessionEventKinds.NoShow:
                session.MarkNoShow(by, e.At);
                break;
            case SessionEventKinds.RemsFields or SessionEventKinds.RemsSubmitted:
                break;
            default:
                throw new SessionSetupException($"Unknown session event kind '{e.Kind}'.");
        }

        return facts;
    }

    /// <summary>
    /// Applies a new command to the loaded aggregate (the domain refuses it by throwing, and then nothing is stored),
    /// appends it as the next event and updates the session row's status. The caller saves, audits and commits.
    /// With <paramref name="into"/>, the event row is handed there for the caller to insert instead of being added to the context.
    /// </summary>
    public SessionEventRow Append(ClinicDbContext db, LoadedSession loaded, string kind, object payload, SessionActor by, DateTimeOffset at,
        IReadOnlyDictionary<Guid, VitalSignRecord>? newVitals = null, ICollection<SessionEventRow>? into = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(loaded);
        var row = new SessionEventRow
        {
            SessionId = loaded.Row.Id,
            Sequence = loaded.LastSequence + 1,
            Kind = kind,
            Payload = JsonSerializer.Serialize(payload, payload.GetType(), Json),
            ActorId = by.UserId,
            ActorName = by.Name,
            ActorRole = by.Role.ToString().ToLowerInvariant(),
            At = AuditTrail.TruncateToMicroseconds(at),
            SettingsVersion = SettingsVersion,
        };
        Apply(loaded.Session, loaded.Plan, row, newVitals ?? new Dictionary<Guid, VitalSignRecord>(), loaded.Facts);
        if (into is null)
        {
            db.SessionEvents.Add(row);
        }
        else
        {
            into.Add(row);
        }

        loaded.Events.Add(row);
        loaded.LastSequence = row.Sequence;
        if (kind is SessionEventKinds.RemsFields or SessionEventKinds.RemsSubmitted)
        {
            return row; // paperwork after the session: the session row stays as it is
        }

        var status = StatusOf(loaded.Session.State);
        if (loaded.Row.Status != status)
        {
            loaded.Row.Status = status;
        }

        if (loaded.Session.CheckedInAt is { } checkedIn && loaded.Row.CheckedInAt is null)
        {
            loaded.Row.CheckedInAt = checkedIn;
        }

        if (loaded.Session.State.IsClosed() && loaded.Row.CompletedAt is null && loaded.Session.State is SessionState.Discharged or SessionState.StoppedEarly)
        {
            loaded.Row.CompletedAt = row.At;
        }

        return row;
    }

    /// <summary>The dosing record a stored payload describes, recalculated from its inputs.</summary>
    /// <param name="under">The settings the step was taken under (today's when not given).</param>
    public DosingRecord BuildRecord(Workflow session, TreatmentProtocol protocol, DosingPayload p, SessionSettings? under = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(p);
        var applied = under ?? Settings;
        var calculation = DoseCalculator.Calculate(new DoseRequest(protocol, p.Ordered, p.Weight, p.SessionNumberInCourse, p.CalculatedAt), applied.Dosing);
        return DosingRecord.Create(new DosingRecordInput
        {
            Id = p.DosingRecordId,
            SessionId = session.Id,
            PatientId = session.PatientId,
            Calculation = calculation,
            GivenDose = new DoseMg(p.GivenDoseMg),
            DoseDifferenceReason = p.DoseDifferenceReason,
            Route = protocol.Route,
            Site = p.Site,
            StartedAt = p.StartedAt,
            EndedAt = p.EndedAt,
            DurationDifferenceReason = p.DurationDifferenceReason,
            InfusionVolumeMl = p.InfusionVolumeMl,
            DeviceTimes = p.DeviceTimes,
            Product = p.Product,
            PreparedBy = p.PreparedBy,
            AdministeredBy = p.AdministeredBy,
            SecondCheck = p.SecondCheck,
        }, protocol, applied.DosingRecord);
    }

    /// <summary>The session actor for a signed-in user: physician, else nurse, else other.</summary>
    public static SessionActor ActorOf(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var role = actor.Roles.Contains(ClinicRoles.Physician) ? StaffRole.Physician
            : actor.Roles.Contains(ClinicRoles.Nurse) ? StaffRole.Nurse
            : StaffRole.Other;
        return new SessionActor(actor.UserId, actor.UserName, role);
    }

    public static VitalObservation Observation(VitalSignRecord v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var kind = KindOf(v.Kind);
        return new VitalObservation(kind, new VitalValue(v.Value, VitalSigns.UnitOf(kind)), v.ObservedAt,
            new DeviceIdentity(null, null, v.DeviceKey ?? v.Source, null), VitalSigns.LoincCodes(kind)[0], v.ResultStatus, null);
    }

    public static VitalKind KindOf(string code) =>
        Enum.GetValues<VitalKind>().First(k => string.Equals(VitalCodes.Code(k), code, StringComparison.Ordinal));

    internal static T Read<T>(SessionEventRow e) =>
        JsonSerializer.Deserialize<T>(e.Payload, Json) ?? throw new SessionSetupException($"Session event {e.Sequence} ({e.Kind}) has no payload.");

    private static SessionActor ActorOf(SessionEventRow e) => new(e.ActorId, e.ActorName, e.ActorRole switch
    {
        "physician" => StaffRole.Physician,
        "nurse" => StaffRole.Nurse,
        _ => StaffRole.Other,
    });

    private static ChairFacts Merge(ChairFacts old, ChairFacts given, SessionActor by, DateTimeOffset at) => new(
        given.LastFoodAt ?? old.LastFoodAt,
        given.LastDrinkAt ?? old.LastDrinkAt,
        given.CompanionName ?? old.CompanionName,
        given.CompanionPhone ?? old.CompanionPhone,
        given.CanBecomePregnant ?? old.CanBecomePregnant,
        given.PregnancyResult ?? old.PregnancyResult,
        given.PregnancyTestedAt ?? old.PregnancyTestedAt,
        given.MedicationsReviewed ? given.Medications ?? [] : old.Medications,
        given.MedicationsReviewed || old.MedicationsReviewed)
    {
        ReviewedBy = given.MedicationsReviewed ? by : old.ReviewedBy,
        ReviewedAt = given.MedicationsReviewed ? at : old.ReviewedAt,
    };
}

/// <summary>The session cannot be set up or rebuilt (no protocol, or a stored command the settings now refuse).</summary>
public sealed class SessionSetupException(string message) : InvalidOperationException(message);
