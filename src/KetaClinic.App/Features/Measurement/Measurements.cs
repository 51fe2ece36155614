using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Patients;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Measurement;

/// <summary>
/// Recording rating instruments (by clinicians and through single-use patient links), the safety alerts they
/// raise, and pre-session check-in. Every read and write is audited in its own transaction.
/// </summary>
public sealed class Measurements(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    MeasurementSettings settings,
    ClinicInstruments instruments,
    OutcomeProjector projector,
    IPatientMessenger messenger,
    ClinicNotifier notifier,
    KetaClinic.Domain.Sessions.SessionSettings sessionSettings,
    KetaClinic.App.Features.Sessions.Sessions sessions)
{
    public const string ResponseRecord = "instrument-response";
    public const string LinkRecord = "patient-link";
    public const string AlertRecord = "safety-alert";
    public const string SessionRecord = "treatment-session";

    /// <summary>Flags that become safety alerts, with their severity.</summary>
    public static readonly IReadOnlyDictionary<string, string> AlertFlags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["suicide-risk-high"] = "high",
        ["suicidal-ideation"] = "high",
        ["suicide-risk-moderate"] = "moderate",
    };

    /// <summary>Actions a physician can record when acknowledging a safety alert.</summary>
    public static readonly IReadOnlyDictionary<string, string> AlertActions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["safety-plan"] = "Safety plan reviewed or made with the patient",
        ["crisis-referral"] = "Referred to crisis services",
        ["emergency-services"] = "Emergency services called",
        ["same-day-assessment"] = "Same-day clinical assessment",
        ["follow-up-scheduled"] = "Follow-up contact scheduled",
        ["treatment-held"] = "Treatment held pending assessment",
        ["other"] = "Other (described in the note)",
    };

    public static readonly IReadOnlyList<string> LinkChannels = ["handed", "sms", "email"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public InstrumentCatalog Catalog => instruments.Catalog;

    public async Task<Result<ResponseView>> RecordAsync(Guid patientId, RecordResponseRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.MeasuresWrite))
        {
            return Result<ResponseView>.Forbidden();
        }
        if (request is null)
        {
            return Result<ResponseView>.Invalid("body", "is required.");
        }
        var now = clock.GetUtcNow();
        var v = new Validator();
        var definition = FindDefinition(v, request.InstrumentId);
        if (request.TakenAt is { } taken && taken > now.AddMinutes(5))
        {
            v.Add("takenAt", "cannot be in the future.");
        }
        if (!v.IsValid)
        {
            return Result<ResponseView>.Invalid(v.Errors);
        }
        var scored = Score(definition!, request.Answers);
        if (!scored.IsSuccess)
        {
            return Result<ResponseView>.Invalid(AnswerErrors(scored));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Result<ResponseView>.NotFound($"No patient with id {patientId}.");
        }
        if (request.SessionId is { } sessionId && !await db.TreatmentSessions.AnyAsync(s => s.Id == sessionId && s.PatientId == patientId, ct))
        {
            return Result<ResponseView>.Invalid("sessionId", "is not a session of this patient.");
        }
        var response = NewResponse(patientId, definition!, scored.Score, request.TakenAt ?? now, now, actor, "clinician", null, request.SessionId);
        db.InstrumentResponses.Add(response);
        var alert = RaiseAlert(db, response, definition!, scored.Score, now);
        await audit.RecordAsync(db, actor, AuditActions.Create, ResponseRecord, response.Id.ToString(), patientId,
            new { response.InstrumentId, response.InstrumentVersion, response.Total, response.Flags, alert = alert?.Id }, ct);
        await projector.RecomputeAsync(db, patientId, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(patientId, alert is not null);
        return Result<ResponseView>.Ok(ToView(response));
    }

    public async Task<Result<IssuedLink>> IssueLinkAsync(Guid patientId, IssueLinkRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LinksIssue))
        {
            return Result<IssuedLink>.Forbidden();
        }
        if (request is null)
        {
            return Result<IssuedLink>.Invalid("body", "is required.");
        }
        var v = new Validator();
        var definition = FindDefinition(v, request.InstrumentId);
        if (definition is { Rater: not Rater.Patient })
        {
            v.Add("instrumentId", $"{definition.Title} is rated by a clinician; only self-report instruments can be sent to a patient.");
        }
        return await IssueAsync(patientId, definition?.Id ?? string.Empty, request.SessionId, request.SentVia, LinkPurposes.Instrument, v, actor, ct);
    }

    /// <summary>
    /// Issues a single-use link of any purpose for a patient, audited, and sends it when asked to. <paramref name="v"/>
    /// carries the caller's own validation; nothing is stored unless every check passes.
    /// </summary>
    internal async Task<Result<IssuedLink>> IssueAsync(Guid patientId, string subject, Guid? sessionId, string? sentVia, string purpose, Validator v, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(v);
        var via = string.IsNullOrWhiteSpace(sentVia) ? "handed" : sentVia.Trim().ToLowerInvariant();
        if (!LinkChannels.Contains(via))
        {
            v.Add("sentVia", $"must be one of {string.Join(", ", LinkChannels)}.");
        }
        if (!v.IsValid)
        {
            return Result<IssuedLink>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await db.Patients.AsNoTracking().SingleOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Result<IssuedLink>.NotFound($"No patient with id {patientId}.");
        }
        if (sessionId is { } session && !await db.TreatmentSessions.AnyAsync(s => s.Id == session && s.PatientId == patientId, ct))
        {
            return Result<IssuedLink>.Invalid("sessionId", "is not a session of this patient.");
        }
        var recipient = RecipientFor(patient, via);
        if (via != "handed" && recipient is null)
        {
            return Result<IssuedLink>.Invalid("sentVia", via == "sms"
                ? "the patient has no mobile phone number on record; add one or hand the link over in person."
                : "the patient has no email address on record; add one or hand the link over in person.");
        }
        var (issued, token) = NewLink(db, patientId, subject, sessionId, via, recipient, actor, purpose);
        await audit.RecordAsync(db, actor, AuditActions.Create, LinkRecord, issued.Id.ToString(), patientId,
            new { issued.InstrumentId, issued.Purpose, issued.SentVia, issued.ExpiresAt, issued.SessionId }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var result = ToIssued(issued, token);
        await SendAsync(result, patient, ct);
        return Result<IssuedLink>.Ok(result);
    }

    /// <summary>
    /// Pre-session check-in: marks the session checked in and issues the links the clinic's protocol asks for
    /// (per route), skipping instruments already answered today.
    /// </summary>
    public async Task<Result<CheckInResult>> CheckInAsync(Guid sessionId, string? sentVia, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LinksIssue))
        {
            return Result<CheckInResult>.Forbidden();
        }
        var via = string.IsNullOrWhiteSpace(sentVia) ? "handed" : sentVia.Trim().ToLowerInvariant();
        if (!LinkChannels.Contains(via))
        {
            return Result<CheckInResult>.Invalid("sentVia", $"must be one of {string.Join(", ", LinkChannels)}.");
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await db.TreatmentSessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<CheckInResult>.NotFound($"No session with id {sessionId}.");
        }
        if (session.Status != "scheduled")
        {
            return Result<CheckInResult>.Conflict($"The session is {session.Status}; only a scheduled session can be checked in.");
        }
        var patient = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == session.PatientId, ct);
        var course = await db.TreatmentCourses.AsNoTracking().SingleAsync(c => c.Id == session.CourseId, ct);
        var recipient = RecipientFor(patient, via);
        if (via != "handed" && recipient is null)
        {
            return Result<CheckInResult>.Invalid("sentVia", $"the patient has no {(via == "sms" ? "mobile phone number" : "email address")} on record.");
        }
        var today = clinic.Today(clock);
        var startOfDay = clinic.StartOfDay(today);
        var answeredToday = await db.InstrumentResponses.AsNoTracking()
            .Where(r => r.PatientId == session.PatientId && r.TakenAt >= startOfDay)
            .Select(r => r.InstrumentId).Distinct().ToListAsync(ct);
        var links = new List<(PatientLink Link, string Token)>();
        foreach (var id in settings.InstrumentsForRoute(course.Route).Distinct(StringComparer.Ordinal))
        {
            var definition = instruments.Catalog.Find(id);
            if (definition is null || definition.Rater != Rater.Patient || answeredToday.Contains(id, StringComparer.Ordinal))
            {
                continue;
            }
            links.Add(NewLink(db, session.PatientId, id, session.Id, via, recipient, actor));
        }
        try
        {
            // Through the chair workflow: the session's history records who checked the patient in and when.
            await sessions.CheckInWithinAsync(db, session.Id, actor, now, ct);
        }
        catch (Exception ex) when (ex is KetaClinic.Domain.Sessions.SessionTransitionException or KetaClinic.App.Features.Sessions.SessionSetupException
            or KetaClinic.App.Features.Sessions.ChairOccupiedException)
        {
            return Result<CheckInResult>.Conflict(ex.Message);
        }
        catch (DomainValidationException ex)
        {
            return Result<CheckInResult>.Invalid(ex.Errors);
        }
        await audit.RecordAsync(db, actor, AuditActions.Update, SessionRecord, session.Id.ToString(), session.PatientId,
            new { change = "checked-in", links = links.Select(l => new { l.Link.Id, l.Link.InstrumentId }) }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var issued = links.Select(l => ToIssued(l.Link, l.Token)).ToList();
        foreach (var link in issued)
        {
            await SendAsync(link, patient, ct);
        }
        return Result<CheckInResult>.Ok(new CheckInResult(session.Id, now, issued));
    }

    /// <summary>What the front desk needs to check a patient in: upcoming sessions and the questionnaire links (no answers).</summary>
    public async Task<Result<CheckInView>> CheckInViewAsync(Guid patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LinksIssue))
        {
            return Result<CheckInView>.Forbidden();
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Result<CheckInView>.NotFound($"No patient with id {patientId}.");
        }
        var since = now.AddHours(-sessionSettings.PreDose.VisitWindowHours.Value);
        var sessions = await db.TreatmentSessions.AsNoTracking()
            .Where(s => s.PatientId == patientId && (s.Status == "scheduled" || s.Status == "checked-in") && s.ScheduledStart >= since)
            .OrderBy(s => s.ScheduledStart).Take(10).ToListAsync(ct);
        var links = await db.PatientLinks.AsNoTracking().Where(l => l.PatientId == patientId).OrderByDescending(l => l.CreatedAt).Take(20).ToListAsync(ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, LinkRecord, null, patientId, new { links = links.Count, sessions = sessions.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<CheckInView>.Ok(new CheckInView(
            sessions.Select(s => new SessionMark(s.Id, s.SequenceNumber, s.ScheduledStart, s.Status)).ToList(),
            links.Select(l => ToView(l, now)).ToList(),
            instruments.Catalog.Definitions.Where(d => d.Rater == Rater.Patient).GroupBy(d => d.Id).Select(g => g.Last()).Select(d => new InstrumentChoice(d.Id, d.Title)).ToList()));
    }

    public async Task<Result<LinkView>> RevokeLinkAsync(Guid patientId, Guid linkId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LinksIssue))
        {
            return Result<LinkView>.Forbidden();
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var link = await db.PatientLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.PatientId == patientId, ct);
        if (link is null)
        {
            return Result<LinkView>.NotFound($"No link {linkId} for this patient.");
        }
        if (link.UsedAt is not null)
        {
            return Result<LinkView>.Conflict("The link has already been used.");
        }
        link.RevokedAt ??= now;
        await audit.RecordAsync(db, actor, AuditActions.Update, LinkRecord, link.Id.ToString(), patientId, new { change = "revoked" }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<LinkView>.Ok(ToView(link, now));
    }

    /// <summary>The patient's link page: the questions if the link can be used, otherwise why not. Never shows the record.</summary>
    public async Task<PublicQuestionnaire> OpenLinkAsync(string? token, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var link = await FindLinkAsync(db, token, LinkPurposes.Instrument, ct);
        var state = LinkState(link, now);
        if (link is not null)
        {
            await audit.RecordAsync(db, LinkActor(link, remoteAddress), AuditActions.Read, LinkRecord, link.Id.ToString(), link.PatientId, new { state }, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (state != "open")
        {
            return new PublicQuestionnaire(state, StateMessage(state), null, null, null, null, []);
        }
        var definition = instruments.Catalog.Get(link!.InstrumentId);
        return new PublicQuestionnaire(state, StateMessage(state), definition.Id, definition.Title, definition.Instructions, definition.Licence.WordingIncluded ? null : definition.Licence.Note,
            definition.Items.Select(i => new PublicQuestionnaireItem(i.Id, i.ShortTitle, i.Text, i.IsRequired, i.AnswerOptions.Select(o => (o.Value, o.Display)).ToList())).ToList());
    }

    /// <summary>Stores the patient's answers through a link: once, before it expires, for its own patient and instrument.</summary>
    public async Task<Result<PublicSubmitResult>> SubmitLinkAsync(string? token, PublicSubmitRequest request, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        // The audit head lock taken above serialises submissions, so a link cannot be used twice concurrently.
        var link = await FindLinkAsync(db, token, LinkPurposes.Instrument, ct);
        var state = LinkState(link, now);
        if (link is null)
        {
            return Result<PublicSubmitResult>.NotFound(StateMessage(state));
        }
        var actor = LinkActor(link, remoteAddress);
        if (state != "open")
        {
            await audit.RecordAsync(db, actor, "refused", LinkRecord, link.Id.ToString(), link.PatientId, new { state }, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Result<PublicSubmitResult>.Conflict(StateMessage(state));
        }
        var definition = instruments.Catalog.Get(link.InstrumentId);
        var scored = Score(definition, request?.Answers);
        if (!scored.IsSuccess)
        {
            return Result<PublicSubmitResult>.Invalid(AnswerErrors(scored));
        }
        var (response, alert) = await AddLinkResponseAsync(db, link, definition, scored.Score, actor, now, ct);
        link.UsedAt = now;
        link.ResponseId = response.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(link.PatientId, alert is not null);
        return Result<PublicSubmitResult>.Ok(new PublicSubmitResult("done", ThanksMessage(alert is not null)));
    }

    /// <summary>
    /// Adds a patient's scored answers given through a link to the caller's audited transaction: the response, the
    /// safety alert its flags raise, the audit entry and the course outcome. Used by every kind of patient link.
    /// </summary>
    internal async Task<(InstrumentResponse Response, SafetyAlert? Alert)> AddLinkResponseAsync(
        ClinicDbContext db, PatientLink link, InstrumentDefinition definition, InstrumentScore score, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var response = NewResponse(link.PatientId, definition, score, now, now, actor, "patient-link", link.Id, link.SessionId);
        db.InstrumentResponses.Add(response);
        var alert = RaiseAlert(db, response, definition, score, now);
        await audit.RecordAsync(db, actor, AuditActions.Create, ResponseRecord, response.Id.ToString(), link.PatientId,
            new { response.InstrumentId, response.InstrumentVersion, response.Total, response.Flags, link = link.Id, alert = alert?.Id }, ct);
        await projector.RecomputeAsync(db, link.PatientId, now, ct);
        return (response, alert);
    }

    internal static string ThanksMessage(bool alertRaised) => alertRaised
        ? "Thank you. Your answers have been sent to your care team, who will contact you. If you are thinking of harming yourself now, call or text 988 (Suicide & Crisis Lifeline) or 911."
        : "Thank you. Your answers have been sent to your care team.";

    public async Task<Result<IReadOnlyList<AlertView>>> AlertsAsync(bool includeAcknowledged, Guid? patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.AlertsRead))
        {
            return Result<IReadOnlyList<AlertView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var q = db.SafetyAlerts.AsNoTracking();
        if (!includeAcknowledged)
        {
            q = q.Where(a => a.AcknowledgedAt == null);
        }
        if (patientId is { } pid)
        {
            q = q.Where(a => a.PatientId == pid);
        }
        var alerts = await q.OrderByDescending(a => a.RaisedAt).Take(500)
            .Join(db.Patients, a => a.PatientId, p => p.Id, (a, p) => new { a, p.LegalGivenName, p.LegalFamilyName, p.PreferredName, p.Mrn })
            .ToListAsync(ct);
        var views = alerts.Select(x => ToView(x.a, $"{x.PreferredName ?? x.LegalGivenName} {x.LegalFamilyName}", x.Mrn))
            .OrderBy(a => a.AcknowledgedAt is null ? 0 : 1).ThenBy(a => a.Severity == "high" ? 0 : 1).ThenByDescending(a => a.RaisedAt).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Search, AlertRecord, null, patientId,
            new { includeAcknowledged, results = views.Count, patientIds = views.Select(a => a.PatientId).Distinct() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<AlertView>>.Ok(views);
    }

    public async Task<Result<AlertView>> AcknowledgeAsync(Guid alertId, AcknowledgeAlertRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.AlertsAcknowledge))
        {
            return Result<AlertView>.Forbidden("Only a physician can acknowledge a safety alert.");
        }
        var v = new Validator();
        var action = request?.Action?.Trim();
        if (string.IsNullOrEmpty(action))
        {
            v.Add("action", "is required: say what was done (e.g. safety-plan, crisis-referral).");
        }
        else if (!AlertActions.ContainsKey(action))
        {
            v.Add("action", $"must be one of {string.Join(", ", AlertActions.Keys)}.");
        }
        var note = v.Text("note", request?.Note, 1000, required: action == "other");
        if (!v.IsValid)
        {
            return Result<AlertView>.Invalid(v.Errors);
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var alert = await db.SafetyAlerts.SingleOrDefaultAsync(a => a.Id == alertId, ct);
        if (alert is null)
        {
            return Result<AlertView>.NotFound($"No alert with id {alertId}.");
        }
        if (alert.AcknowledgedAt is not null)
        {
            return Result<AlertView>.Conflict($"The alert was already acknowledged by {alert.AcknowledgedByName} at {clinic.ToClinicTime(alert.AcknowledgedAt.Value):yyyy-MM-dd HH:mm}.");
        }
        alert.AcknowledgedAt = now;
        alert.AcknowledgedBy = actor.UserId;
        alert.AcknowledgedByName = actor.UserName;
        alert.ActionTaken = action;
        alert.Note = note;
        await audit.RecordAsync(db, actor, "acknowledge", AlertRecord, alert.Id.ToString(), alert.PatientId, new { alert.Kind, action, note }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == alert.PatientId)
            .Select(p => new { p.LegalGivenName, p.LegalFamilyName, p.PreferredName, p.Mrn }).SingleAsync(ct);
        await PublishAsync(alert.PatientId, alertsChanged: true);
        return Result<AlertView>.Ok(ToView(alert, $"{patient.PreferredName ?? patient.LegalGivenName} {patient.LegalFamilyName}", patient.Mrn));
    }

    // ---- helpers ----

    private InstrumentDefinition? FindDefinition(Validator v, string? instrumentId)
    {
        if (string.IsNullOrWhiteSpace(instrumentId))
        {
            v.Add("instrumentId", "is required.");
            return null;
        }
        var definition = instruments.Catalog.Find(instrumentId.Trim());
        if (definition is null)
        {
            v.Add("instrumentId", $"'{instrumentId}' is not a known instrument; known: {string.Join(", ", instruments.Catalog.InstrumentIds)}.");
        }
        return definition;
    }

    private static ScoringResult Score(InstrumentDefinition definition, Dictionary<string, int>? answers) =>
        InstrumentScorer.Score(definition, answers ?? new Dictionary<string, int>(StringComparer.Ordinal));

    internal static List<FieldError> AnswerErrors(ScoringResult scored, string prefix = "answers") =>
        scored.Errors.Select(e => new FieldError($"{prefix}.{e.ItemId}", e.Message)).ToList();

    internal static InstrumentResponse NewResponse(Guid patientId, InstrumentDefinition definition, InstrumentScore score, DateTimeOffset takenAt, DateTimeOffset now, Actor actor, string source, Guid? linkId, Guid? sessionId, Guid? id = null)
    {
        var answers = definition.Items.Where(i => score.Answers.ContainsKey(i.Id)).Select(i =>
        {
            var value = score.Answers[i.Id];
            return new StoredAnswer(i.Id, value, i.FindOption(value)?.Score, i.LoincCode);
        }).ToList();
        return new InstrumentResponse
        {
            Id = id ?? Guid.CreateVersion7(now),
            PatientId = patientId,
            SessionId = sessionId,
            InstrumentId = definition.Id,
            InstrumentVersion = definition.Version,
            Answers = JsonSerializer.Serialize(answers, Json),
            Total = score.Total,
            SeverityCode = score.Severity?.Code,
            SeverityDisplay = score.Severity?.Display,
            Flags = string.Join(',', score.Flags),
            TriageLevel = score.TriageLevel,
            LoincPanel = definition.Loinc.Panel,
            LoincTotal = definition.Loinc.Total,
            TakenAt = AuditTrail.TruncateToMicroseconds(takenAt.ToUniversalTime()),
            RecordedAt = AuditTrail.TruncateToMicroseconds(now),
            RecordedBy = actor.UserId,
            RecordedByName = actor.UserName,
            Source = source,
            LinkId = linkId,
        };
    }

    private static SafetyAlert? RaiseAlert(ClinicDbContext db, InstrumentResponse response, InstrumentDefinition definition, InstrumentScore score, DateTimeOffset now)
    {
        var flags = score.Flags.Where(AlertFlags.ContainsKey).ToList();
        if (flags.Count == 0)
        {
            return null;
        }
        var severity = flags.Any(f => AlertFlags[f] == "high") ? "high" : "moderate";
        var reasons = new List<string>();
        foreach (var rule in definition.FlagRules.Where(r => flags.Contains(r.Code)))
        {
            var item = definition.FindItem(rule.Condition.ItemId);
            if (item is not null && score.Answers.TryGetValue(item.Id, out var value))
            {
                reasons.Add($"item {item.Id} ({item.ShortTitle}) answered \"{item.FindOption(value)?.Display ?? value.ToString(CultureInfo.InvariantCulture)}\"");
            }
        }
        if (score.TriageLevel is { } triage && flags.Any(f => f.StartsWith("suicide-risk-", StringComparison.Ordinal)))
        {
            reasons.Add($"triage level {triage}");
        }
        var message = $"{definition.Title}: {string.Join("; ", reasons.DefaultIfEmpty(string.Join(", ", flags)))} ({(response.Source == "patient-link" ? "patient self-report" : "recorded by " + response.RecordedByName)}).";
        var alert = new SafetyAlert
        {
            Id = Guid.CreateVersion7(now),
            PatientId = response.PatientId,
            Kind = flags.OrderBy(f => AlertFlags[f] == "high" ? 0 : 1).First(),
            Severity = severity,
            Message = message.Length > 300 ? message[..297] + "…" : message,
            ResponseId = response.Id,
            RaisedAt = AuditTrail.TruncateToMicroseconds(now),
        };
        db.SafetyAlerts.Add(alert);
        return alert;
    }

    /// <summary>A new single-use link: a random 32-byte token, of which only the SHA-256 is stored.</summary>
    internal (PatientLink Link, string Token) NewLink(ClinicDbContext db, Guid patientId, string instrumentId, Guid? sessionId, string via, string? recipient, Actor actor, string purpose = LinkPurposes.Instrument)
    {
        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        var token = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var link = new PatientLink
        {
            Id = Guid.CreateVersion7(now),
            TokenHash = HashToken(token),
            PatientId = patientId,
            InstrumentId = instrumentId,
            SessionId = sessionId,
            CreatedAt = now,
            CreatedBy = actor.UserId,
            CreatedByName = actor.UserName,
            ExpiresAt = now.AddHours(settings.LinkLifetimeHours),
            SentVia = via,
            SentTo = recipient is null ? null : Mask(recipient),
            Purpose = purpose,
        };
        db.PatientLinks.Add(link);
        return (link, token);
    }

    private IssuedLink ToIssued(PatientLink link, string token)
    {
        var page = link.Purpose == LinkPurposes.PreScreening ? PublicPaths.PreScreening : PublicPaths.Questionnaire;
        return new(link.Id, link.InstrumentId, $"{clinic.PublicBaseUrl.TrimEnd('/')}{page}/{token}", link.ExpiresAt, link.SentVia, link.SentTo);
    }

    private async Task SendAsync(IssuedLink link, Patient patient, CancellationToken ct)
    {
        var recipient = RecipientFor(patient, link.SentVia);
        if (link.SentVia == "handed" || recipient is null)
        {
            return;
        }
        var title = link.InstrumentId == LinkPurposes.PreScreening
            ? "pre-screening questionnaire"
            : instruments.Catalog.Find(link.InstrumentId)?.Title ?? link.InstrumentId;
        await messenger.SendAsync(new PatientMessage(link.SentVia, recipient,
            $"{clinic.Name}: please fill in the {title} before your visit: {link.Url} (valid until {clinic.ToClinicTime(link.ExpiresAt):MMM d, h:mm tt}; single use)."), ct);
    }

    internal static string? RecipientFor(Patient patient, string via) => via switch
    {
        "sms" => string.IsNullOrWhiteSpace(patient.Phone) ? null : patient.Phone,
        "email" => string.IsNullOrWhiteSpace(patient.Email) ? null : patient.Email,
        _ => null,
    };

    private static string Mask(string recipient)
    {
        var at = recipient.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return recipient[0] + "***" + recipient[at..];
        }
        var digits = new string(recipient.Where(char.IsDigit).ToArray());
        return digits.Length >= 4 ? "***" + digits[^4..] : "***";
    }

    internal static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The link a token opens, if it is a link of this purpose; a token never opens another kind of page.</summary>
    internal static async Task<PatientLink?> FindLinkAsync(ClinicDbContext db, string? token, string purpose, CancellationToken ct)
    {
        // A token is 43 base64url characters; anything else cannot match and is not looked up.
        if (token is null || token.Length != 43 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        var hash = HashToken(token);
        return await db.PatientLinks.SingleOrDefaultAsync(l => l.TokenHash == hash && l.Purpose == purpose, ct);
    }

    internal static string LinkState(PatientLink? link, DateTimeOffset now) => link switch
    {
        null => "unknown",
        { UsedAt: not null } => "used",
        { RevokedAt: not null } => "revoked",
        _ when link.ExpiresAt <= now => "expired",
        _ => "open",
    };

    internal static string StateMessage(string state) => state switch
    {
        "open" => "Please answer every question.",
        "used" => "This link has already been used. Each link works once; ask the clinic for a new one if you need to answer again.",
        "expired" => "This link has expired. Please ask the clinic for a new one.",
        "revoked" => "This link has been withdrawn by the clinic. Please ask the clinic for a new one.",
        _ => "This link is not valid. Please check it, or ask the clinic for a new one.",
    };

    internal static Actor LinkActor(PatientLink link, string? remoteAddress) =>
        new($"patient-link:{link.Id}", "Patient (questionnaire link)", ["Patient"], remoteAddress);

    internal async Task PublishAsync(Guid patientId, bool alertsChanged)
    {
        await notifier.PublishAsync(new ClinicChange(ClinicNotifier.ResponsesChanged, patientId));
        if (alertsChanged)
        {
            await notifier.PublishAsync(new ClinicChange(ClinicNotifier.AlertsChanged, patientId));
        }
    }

    internal ResponseView ToView(InstrumentResponse r)
    {
        var definition = instruments.Catalog.Find(r.InstrumentId, r.InstrumentVersion);
        var stored = JsonSerializer.Deserialize<List<StoredAnswer>>(r.Answers, Json) ?? [];
        var items = stored.Select(a =>
        {
            var item = definition?.FindItem(a.Item);
            return new ItemAnswerView(a.Item, item?.ShortTitle ?? a.Item, a.Value, item?.FindOption(a.Value)?.Display ?? a.Value.ToString(CultureInfo.InvariantCulture), a.Score, a.Loinc);
        }).ToList();
        return new ResponseView(r.Id, r.PatientId, r.InstrumentId, r.InstrumentVersion, definition?.Title ?? r.InstrumentId, r.Total, r.SeverityCode, r.SeverityDisplay,
            r.Flags.Length == 0 ? [] : r.Flags.Split(','), r.TriageLevel, r.TakenAt, r.RecordedByName, r.Source, r.LoincPanel, r.LoincTotal, items);
    }

    internal static LinkView ToView(PatientLink l, DateTimeOffset now) =>
        new(l.Id, l.InstrumentId, l.CreatedAt, l.CreatedByName, l.ExpiresAt, l.UsedAt, LinkState(l, now), l.SentVia, l.SessionId);

    internal static AlertView ToView(SafetyAlert a, string patientName, string mrn) =>
        new(a.Id, a.PatientId, patientName, mrn, a.Kind, a.Severity, a.Message, a.RaisedAt, a.ResponseId, a.AcknowledgedAt, a.AcknowledgedByName, a.ActionTaken, a.Note);

    internal sealed record StoredAnswer(string Item, int Value, int? Score, string? Loinc);
}
