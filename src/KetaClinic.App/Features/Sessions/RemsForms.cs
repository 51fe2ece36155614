using KetaClinic.Domain.Protocols;
using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Patients;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

/// <summary>A blood pressure a clinician copies onto the form when the session holds none for that moment.</summary>
public sealed record RemsBloodPressureInput(decimal SystolicMmHg, decimal DiastolicMmHg, DateTimeOffset MeasuredAt);

/// <summary>
/// Fields a clinician completes on the REMS form. Only empty fields may be given: what the session recorded always
/// wins (correct the session, not the form). Null = not given now.
/// </summary>
public sealed record RemsFieldsRequest
{
    public string? PatientName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public string? Sex { get; init; }
    public bool? FirstTreatment { get; init; }
    public bool? Enrolled { get; init; }
    public bool? Benzodiazepines { get; init; }
    public bool? NonBenzodiazepineSedativeHypnotics { get; init; }
    public bool? Psychostimulants { get; init; }
    public bool? Maois { get; init; }
    public bool? Opioids { get; init; }
    public string? MonitoringClinicianName { get; init; }
    public string? MonitoringClinicianPhone { get; init; }
    public string? MonitoringClinicianEmail { get; init; }
    public string? SettingName { get; init; }
    public string? SettingAddress { get; init; }
    public DateOnly? TreatmentDate { get; init; }
    public decimal? DoseMg { get; init; }
    public string? Lot { get; init; }
    public int? TotalMinutesFirstDeviceToEndOfMonitoring { get; init; }
    public int? ReadyToLeaveWithoutTwoHourRuleMinutes { get; init; }
    public bool? VitalsAcceptableBeforeDosing { get; init; }
    public bool? VitalsAcceptableAtCompletion { get; init; }
    public RemsBloodPressureInput? BloodPressureBeforeDosing { get; init; }
    public RemsBloodPressureInput? BloodPressureAt40Minutes { get; init; }
    public RemsBloodPressureInput? BloodPressureBeforeCompletion { get; init; }
    public bool? Sedation { get; init; }
    public bool? Dissociation { get; init; }
    public bool? SeriousAdverseEvents { get; init; }
}

/// <summary>Marks the form as sent to the REMS: the day it went (default today) and the REMS confirmation, if any.</summary>
public sealed record RemsSubmitRequest(DateOnly? SubmittedOn, string? Reference);

internal sealed record RemsSubmittedPayload(DateOnly SubmittedOn, string? Reference);

/// <summary>The form as filled, what is still missing, when it is due and whether it was sent.</summary>
public sealed record RemsFormView(
    Guid SessionId,
    Guid PatientId,
    string ProtocolName,
    RemsMonitoringForm Form,
    IReadOnlyList<string> MissingFields,
    IReadOnlyList<string> CompletedByClinician,
    DateOnly DueOn,
    bool Overdue,
    DateOnly? SubmittedOn,
    string? SubmittedBy,
    string? SubmissionReference,
    string DueSource);

/// <summary>One form not sent by its due day. Patient name and MRN are there because only clinical staff see the list.</summary>
public sealed record RemsOverdueItem(Guid SessionId, Guid PatientId, string PatientName, string Mrn, DateOnly TreatmentDate, DateOnly DueOn, int DaysOverdue);

/// <summary>
/// The esketamine REMS Patient Monitoring Form (REFERENCE.md §6): filled from the session by
/// <see cref="RemsMonitoringFormBuilder"/>, completed by a clinician where the session cannot fill it, marked as sent,
/// and tracked against its 7-day deadline (<see cref="RemsDeadline"/>). Completions and the submission are session
/// events (the replay skips them), each with its audit entry in the same transaction. Every read is audited.
/// </summary>
public sealed class RemsForms(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings clinic, SessionLog log, VitalsMappingSettings mapping)
{
    public const string FormRecord = "rems-form";

    private static readonly string[] Closed = [SessionLog.StatusOf(SessionState.Discharged), SessionLog.StatusOf(SessionState.StoppedEarly)];

    public async Task<Result<RemsFormView>> GetAsync(Guid sessionId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsRead))
        {
            return Result<RemsFormView>.Forbidden();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var (loaded, refused) = await LoadAsync(db, sessionId, ct);
        if (refused is not null)
        {
            return refused;
        }

        var view = await ViewAsync(db, loaded!, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, FormRecord, sessionId.ToString(), loaded!.Row.PatientId, new { missing = view.MissingFields.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<RemsFormView>.Ok(view);
    }

    public async Task<Result<RemsFormView>> CompleteAsync(Guid sessionId, RemsFieldsRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        if (!actor.Can(Permissions.SessionsWrite))
        {
            return Result<RemsFormView>.Forbidden();
        }

        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var (loaded, refused) = await LoadAsync(db, sessionId, ct);
        if (refused is not null)
        {
            return refused;
        }

        if (Submitted(loaded!) is not null)
        {
            return Result<RemsFormView>.Conflict("The form was already sent; it cannot change now.");
        }

        var draft = await DraftAsync(db, loaded!, ct);
        var fromSession = draft.Form;
        var errors = Validate(request, fromSession, loaded!.Session.Protocol, clinic.Today(clock), mapping.Plausibility);
        if (errors.Count > 0)
        {
            return Result<RemsFormView>.Invalid(errors);
        }

        log.Append(db, loaded!, SessionEventKinds.RemsFields, request, await Sessions.ByAsync(db, actor, ct), now);
        await audit.RecordAsync(db, actor, AuditActions.Update, FormRecord, sessionId.ToString(), loaded!.Row.PatientId,
            new { change = SessionEventKinds.RemsFields, fields = Given(request) }, ct);
        await db.SaveChangesAsync(ct);
        var view = await ViewAsync(db, loaded, ct);
        await tx.CommitAsync(ct);
        return Result<RemsFormView>.Ok(view);
    }

    public async Task<Result<RemsFormView>> SubmitAsync(Guid sessionId, RemsSubmitRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        if (!actor.Can(Permissions.SessionsWrite))
        {
            return Result<RemsFormView>.Forbidden();
        }

        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        var today = clinic.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var (loaded, refused) = await LoadAsync(db, sessionId, ct);
        if (refused is not null)
        {
            return refused;
        }

        if (Submitted(loaded!) is not null)
        {
            return Result<RemsFormView>.Conflict("The form was already sent.");
        }

        if (!Closed.Contains(loaded!.Row.Status) && !loaded.Session.State.IsClosed())
        {
            return Result<RemsFormView>.Conflict("The form is sent once the session has ended (discharge or early stop).");
        }

        var view = await ViewAsync(db, loaded, ct);
        if (view.MissingFields.Count > 0)
        {
            return Result<RemsFormView>.Conflict("The form cannot be sent while fields are missing: " + string.Join(", ", view.MissingFields) + ".");
        }

        var v = new Validator();
        var on = request.SubmittedOn ?? today;
        if (on > today)
        {
            v.Add("submittedOn", "cannot be in the future.");
        }
        else if (view.Form.TreatmentDate is { } t && on < t)
        {
            v.Add("submittedOn", "cannot be before the treatment date.");
        }

        var reference = v.Text("reference", request.Reference, 100, required: false);
        if (!v.IsValid)
        {
            return Result<RemsFormView>.Invalid(v.Errors);
        }

        log.Append(db, loaded, SessionEventKinds.RemsSubmitted, new RemsSubmittedPayload(on, reference), await Sessions.ByAsync(db, actor, ct), now);
        await audit.RecordAsync(db, actor, AuditActions.Update, FormRecord, sessionId.ToString(), loaded.Row.PatientId,
            new { change = SessionEventKinds.RemsSubmitted, submittedOn = on, dueOn = view.DueOn }, ct);
        await db.SaveChangesAsync(ct);
        view = await ViewAsync(db, loaded, ct);
        await tx.CommitAsync(ct);
        return Result<RemsFormView>.Ok(view);
    }

    /// <summary>
    /// Ended esketamine sessions whose form was not sent by its due day, the longest overdue first; audited as a search.
    /// Clinical staff only: the list names patients, and chasing a form means opening the session.
    /// </summary>
    public async Task<Result<IReadOnlyList<RemsOverdueItem>>> OverdueAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsRead))
        {
            return Result<IReadOnlyList<RemsOverdueItem>>.Forbidden();
        }

        var today = clinic.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var courses = db.TreatmentCourses.Where(c => c.Route == ConsentLibrary.IntranasalEsketamine).Select(c => c.Id);
        var rows = await db.TreatmentSessions.AsNoTracking()
            .Where(s => courses.Contains(s.CourseId) && Closed.Contains(s.Status))
            .Select(s => new { s.Id, s.PatientId, s.ScheduledStart, s.CompletedAt })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var sent = (await db.SessionEvents.AsNoTracking().Where(e => e.Kind == SessionEventKinds.RemsSubmitted && ids.Contains(e.SessionId)).ToListAsync(ct))
            .ToDictionary(e => e.SessionId, e => SessionLog.Read<RemsSubmittedPayload>(e).SubmittedOn);
        var tracking = rows.Select(r => new RemsFormTracking(r.Id, DateOf(r.CompletedAt ?? r.ScheduledStart), sent.TryGetValue(r.Id, out var d) ? d : null));
        var overdue = RemsDeadline.Overdue(tracking, today, log.Settings.Rems);
        var patientOf = rows.ToDictionary(r => r.Id, r => r.PatientId);
        var patientIds = overdue.Select(o => patientOf[o.SessionId]).Distinct().ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => patientIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var list = overdue.Select(o =>
        {
            var p = patients[patientOf[o.SessionId]];
            return new RemsOverdueItem(o.SessionId, p.Id, p.DisplayName, p.Mrn, o.TreatmentDate, o.DueOn, o.DaysOverdue);
        }).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Search, FormRecord, null, null, new { list = "overdue", count = list.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<RemsOverdueItem>>.Ok(list);
    }

    private DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(clinic.ToClinicTime(instant).DateTime);

    private async Task<(LoadedSession? Loaded, Result<RemsFormView>? Refused)> LoadAsync(ClinicDbContext db, Guid sessionId, CancellationToken ct)
    {
        LoadedSession? loaded;
        try
        {
            loaded = await log.LoadAsync(db, sessionId, ct);
        }
        catch (SessionSetupException ex)
        {
            return (null, Result<RemsFormView>.Conflict(ex.Message));
        }

        if (loaded is null)
        {
            return (null, Result<RemsFormView>.NotFound($"No session with id {sessionId}."));
        }

        if (!loaded.Session.Protocol.RemsRequired.Value)
        {
            return (null, Result<RemsFormView>.Conflict(
                $"This session follows {loaded.Session.Protocol.Name}, which is not under the esketamine REMS: it has no Patient Monitoring Form (REFERENCE.md §6)."));
        }

        return (loaded, null);
    }

    private static SessionEventRow? Submitted(LoadedSession loaded) => loaded.Events.LastOrDefault(e => e.Kind == SessionEventKinds.RemsSubmitted);

    private async Task<RemsFormDraft> DraftAsync(ClinicDbContext db, LoadedSession loaded, CancellationToken ct)
    {
        var row = loaded.Row;
        var patient = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == row.PatientId, ct);
        var courses = db.TreatmentCourses.Where(c => c.PatientId == row.PatientId && c.Route == ConsentLibrary.IntranasalEsketamine).Select(c => c.Id);
        var earlier = await db.TreatmentSessions.AnyAsync(s => courses.Contains(s.CourseId) && s.Id != row.Id && s.ScheduledStart < row.ScheduledStart
            && Closed.Contains(s.Status), ct);
        var enrolled = await db.Consents.AnyAsync(k => k.PatientId == row.PatientId && k.Route == ConsentLibrary.IntranasalEsketamine
            && k.Status == "active" && k.RemsEnrolmentId != null, ct);
        var letterhead = clinic.Letterhead;
        var address = letterhead.AddressLines.Count == 0 ? null : string.Join(", ", letterhead.AddressLines);
        var facts = new RemsPatientFacts(patient.DisplayName, patient.DateOfBirth, patient.Sex, !earlier, enrolled ? true : null, null);
        var site = new RemsSiteFacts(string.IsNullOrWhiteSpace(letterhead.Name) ? clinic.Name : letterhead.Name, address, null, letterhead.Phone, null);
        return RemsMonitoringFormBuilder.Build(loaded.Session, facts, site, log.Settings);
    }

    private async Task<RemsFormView> ViewAsync(ClinicDbContext db, LoadedSession loaded, CancellationToken ct)
    {
        var draft = await DraftAsync(db, loaded, ct);
        var form = draft.Form;
        var completed = new List<string>();
        foreach (var e in loaded.Events.Where(e => e.Kind == SessionEventKinds.RemsFields))
        {
            var before = RemsMonitoringFormBuilder.MissingFields(form);
            form = Fill(form, SessionLog.Read<RemsFieldsRequest>(e), e.At);
            completed.AddRange(before.Except(RemsMonitoringFormBuilder.MissingFields(form)));
        }

        var missing = RemsMonitoringFormBuilder.MissingFields(form);
        var due = form.TreatmentDate is { } t ? RemsDeadline.DueOn(t, log.Settings.Rems) : draft.DueOn;
        var sent = Submitted(loaded);
        var payload = sent is null ? null : SessionLog.Read<RemsSubmittedPayload>(sent);
        var overdue = sent is null && clinic.Today(clock) > due;
        return new RemsFormView(loaded.Row.Id, loaded.Row.PatientId, loaded.Session.Protocol.Name, form, missing, completed, due, overdue,
            payload?.SubmittedOn, sent?.ActorName, payload?.Reference, log.Settings.Rems.SubmitWithinDays.Source);
    }

    /// <summary>Fills only the form's empty fields with what the clinician gave.</summary>
    private static RemsMonitoringForm Fill(RemsMonitoringForm f, RemsFieldsRequest r, DateTimeOffset at) => f with
    {
        PatientName = f.PatientName ?? Clean(r.PatientName),
        DateOfBirth = f.DateOfBirth ?? r.DateOfBirth,
        Sex = f.Sex ?? SexOf(r.Sex),
        FirstTreatment = f.FirstTreatment ?? r.FirstTreatment,
        Enrolled = f.Enrolled ?? r.Enrolled,
        Benzodiazepines = f.Benzodiazepines ?? r.Benzodiazepines,
        NonBenzodiazepineSedativeHypnotics = f.NonBenzodiazepineSedativeHypnotics ?? r.NonBenzodiazepineSedativeHypnotics,
        Psychostimulants = f.Psychostimulants ?? r.Psychostimulants,
        Maois = f.Maois ?? r.Maois,
        Opioids = f.Opioids ?? r.Opioids,
        MonitoringClinicianName = f.MonitoringClinicianName ?? Clean(r.MonitoringClinicianName),
        MonitoringClinicianPhone = f.MonitoringClinicianPhone ?? Clean(r.MonitoringClinicianPhone),
        MonitoringClinicianEmail = f.MonitoringClinicianEmail ?? Clean(r.MonitoringClinicianEmail),
        SettingName = f.SettingName ?? Clean(r.SettingName),
        SettingAddress = f.SettingAddress ?? Clean(r.SettingAddress),
        TreatmentDate = f.TreatmentDate ?? r.TreatmentDate,
        Dose = f.Dose ?? (r.DoseMg switch { null => null, 56m => RemsDoseChoice.Mg56, 84m => RemsDoseChoice.Mg84, _ => RemsDoseChoice.Other }),
        DoseMg = f.DoseMg ?? r.DoseMg,
        Lot = f.Lot ?? Clean(r.Lot),
        TotalMinutesFirstDeviceToEndOfMonitoring = f.TotalMinutesFirstDeviceToEndOfMonitoring ?? r.TotalMinutesFirstDeviceToEndOfMonitoring,
        ReadyToLeaveWithoutTwoHourRuleMinutes = f.ReadyToLeaveWithoutTwoHourRuleMinutes ?? r.ReadyToLeaveWithoutTwoHourRuleMinutes,
        VitalsAcceptableBeforeDosing = f.VitalsAcceptableBeforeDosing ?? r.VitalsAcceptableBeforeDosing,
        VitalsAcceptableAtCompletion = f.VitalsAcceptableAtCompletion ?? r.VitalsAcceptableAtCompletion,
        BloodPressureBeforeDosing = f.BloodPressureBeforeDosing ?? Bp(r.BloodPressureBeforeDosing),
        BloodPressureAt40Minutes = f.BloodPressureAt40Minutes ?? Bp(r.BloodPressureAt40Minutes),
        BloodPressureBeforeCompletion = f.BloodPressureBeforeCompletion ?? Bp(r.BloodPressureBeforeCompletion),
        Sedation = f.Sedation ?? r.Sedation,
        Dissociation = f.Dissociation ?? r.Dissociation,
        SeriousAdverseEvents = f.SeriousAdverseEvents ?? r.SeriousAdverseEvents,
    };

    private static BloodPressureReading? Bp(RemsBloodPressureInput? b) => b is null ? null : new BloodPressureReading(b.SystolicMmHg, b.DiastolicMmHg, b.MeasuredAt);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static AdministrativeSex? SexOf(string? code) =>
        Enum.TryParse<AdministrativeSex>(code?.Trim(), ignoreCase: true, out var sex) && Enum.IsDefined(sex) ? sex : null;

    private static List<string> Given(RemsFieldsRequest r) =>
        [.. RemsMonitoringFormBuilder.MissingFields(new RemsMonitoringForm()).Except(RemsMonitoringFormBuilder.MissingFields(Fill(new RemsMonitoringForm(), r, default)))];

    private static IReadOnlyList<FieldError> Validate(RemsFieldsRequest r, RemsMonitoringForm fromSession, TreatmentProtocol protocol, DateOnly today, VitalPlausibilityLimits plausible)
    {
        var v = new Validator();
        var given = Given(r);
        if (given.Count == 0)
        {
            v.Add("fields", "give at least one field to complete.");
        }

        // What the session recorded is the record: a value for a filled field is refused, not silently ignored.
        foreach (var field in given.Except(RemsMonitoringFormBuilder.MissingFields(fromSession)))
        {
            v.Add(field, "is filled from the session record; correct the session, not the form.");
        }

        v.Text("patientName", r.PatientName, 200, required: false);
        v.Text("monitoringClinicianName", r.MonitoringClinicianName, 200, required: false);
        v.Phone("monitoringClinicianPhone", r.MonitoringClinicianPhone, required: false);
        v.Email("monitoringClinicianEmail", r.MonitoringClinicianEmail, required: false);
        v.Text("settingName", r.SettingName, 200, required: false);
        v.Text("settingAddress", r.SettingAddress, 400, required: false);
        v.Text("lot", r.Lot, 40, required: false);
        if (r.Sex is not null && SexOf(r.Sex) is null)
        {
            v.Add("sex", "must be female, male, other or unknown.");
        }

        if (r.DateOfBirth is { } dob && dob > today)
        {
            v.Add("dateOfBirth", "cannot be in the future.");
        }

        if (r.TreatmentDate is { } td && td > today)
        {
            v.Add("treatmentDate", "cannot be in the future.");
        }

        var maximum = protocol.Dose.AbsoluteMaximum;
        if (r.DoseMg is { } mg && (mg <= 0 || mg > maximum.Value.Value))
        {
            v.Add("doseMg", string.Create(CultureInfo.InvariantCulture, $"must be more than 0 and at most {maximum.Value.Value} mg ({maximum.Source})."));
        }

        foreach (var (field, minutes) in new[] { ("totalMinutesFirstDeviceToEndOfMonitoring", r.TotalMinutesFirstDeviceToEndOfMonitoring), ("readyToLeaveWithoutTwoHourRuleMinutes", r.ReadyToLeaveWithoutTwoHourRuleMinutes) })
        {
            if (minutes is { } m && (m < 0 || m > 1440))
            {
                v.Add(field, "must be between 0 and 1440 minutes.");
            }
        }

        // The same plausibility limits as monitor and keypad values (Hl7:Mapping:Plausibility), not a second copy.
        var (sys, dia) = (plausible.SystolicMmHg.Value, plausible.DiastolicMmHg.Value);
        foreach (var (field, bp) in new[] { ("bloodPressureBeforeDosing", r.BloodPressureBeforeDosing), ("bloodPressureAt40Minutes", r.BloodPressureAt40Minutes), ("bloodPressureBeforeCompletion", r.BloodPressureBeforeCompletion) })
        {
            if (bp is not null && (bp.SystolicMmHg < sys.Min || bp.SystolicMmHg > sys.Max || bp.DiastolicMmHg < dia.Min || bp.DiastolicMmHg > dia.Max || bp.DiastolicMmHg >= bp.SystolicMmHg))
            {
                v.Add(field, string.Create(CultureInfo.InvariantCulture,
                    $"must be a plausible reading: systolic {sys.Min}–{sys.Max}, diastolic {dia.Min}–{dia.Max} mmHg, diastolic below systolic."));
            }
        }

        return v.Errors;
    }
}
