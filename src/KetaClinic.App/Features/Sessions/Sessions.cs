using KetaClinic.App.Data;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Workflow = KetaClinic.Domain.Sessions.TreatmentSession;

namespace KetaClinic.App.Features.Sessions;

/// <summary>
/// The treatment session at the chair: check-in, pre-dose checks and physician overrides, dosing with its record
/// (fed to the controlled-substance ledger), vitals and their alerts, side effects, recovery, discharge or an early
/// stop. Each handler: permission → input checks → the session rebuilt from its events → the domain's decision →
/// the command stored with its audit entry in one transaction → live pages told.
/// </summary>
public sealed partial class Sessions(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    SessionLog log,
    PreDoseFactsLoader factsLoader,
    IControlledSubstanceAdministrations ledger,
    ClinicNotifier notifier,
    SessionReadCache readCache,
    ILogger<Sessions> logger)
{
    public SessionSettings Settings => log.Settings;

    /// <summary>The session as the chair sees it; an audited read.</summary>
    public async Task<Result<SessionView>> GetAsync(Guid sessionId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsRead))
        {
            return Result<SessionView>.Forbidden();
        }

        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Read first, outside the audit-head lock (see ChairBoardAsync); the view is returned only once its audit entry commits.
        LoadedSession? loaded;
        try
        {
            loaded = await log.LoadAsync(db, sessionId, ct, now);
        }
        catch (SessionSetupException ex)
        {
            return Result<SessionView>.Conflict(ex.Message);
        }

        if (loaded is null)
        {
            return Result<SessionView>.NotFound($"No session with id {sessionId}.");
        }

        var view = await ViewAsync(db, loaded, now, ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, SessionLog.SessionRecord, sessionId.ToString(), loaded.Row.PatientId, new { view.State }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<SessionView>.Ok(view);
    }

    /// <summary>Today's sessions (clinic day), for the chair list; audited as a search.</summary>
    public async Task<Result<IReadOnlyList<SessionListItem>>> TodayAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsRead))
        {
            return Result<IReadOnlyList<SessionListItem>>.Forbidden();
        }

        var start = clinic.StartOfDay(clinic.Today(clock));
        var end = clinic.StartOfDay(clinic.Today(clock).AddDays(1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var rows = await db.TreatmentSessions.AsNoTracking().Where(s => s.ScheduledStart >= start && s.ScheduledStart < end).ToListAsync(ct);
        var names = await NamesAsync(db, rows.Select(r => r.PatientId), ct);
        var chairs = await db.Chairs.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var list = rows.OrderBy(r => r.ScheduledStart).Select(r => new SessionListItem(r.Id, r.PatientId, names.GetValueOrDefault(r.PatientId, "?"),
            r.ChairId is { } c ? chairs.GetValueOrDefault(c) : null, r.ScheduledStart, r.Status)).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Search, SessionLog.SessionRecord, null, null, new { day = "today", count = list.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<SessionListItem>>.Ok(list);
    }

    /// <summary>
    /// Checks a session in through the workflow inside the caller's transaction (the front desk's check-in). Throws
    /// <see cref="SessionTransitionException"/> when the session is not scheduled.
    /// </summary>
    public async Task CheckInWithinAsync(ClinicDbContext db, Guid sessionId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var loaded = await log.LoadAsync(db, sessionId, ct, now) ?? throw new InvalidOperationException($"No session with id {sessionId}.");
        await EnsureChairFreeAsync(db, loaded.Row, now, ct);
        log.Append(db, loaded, SessionEventKinds.CheckIn, new EmptyPayload(), await ByAsync(db, actor, ct), now);
    }

    /// <summary>
    /// A patient is checked in only at a chair with no session in progress (<see cref="ChairOccupancy"/>): the chair's
    /// monitor files its values into that session, so two at once would put one patient's vital signs in the other's
    /// record. Throws <see cref="ChairOccupiedException"/>.
    /// </summary>
    private async Task EnsureChairFreeAsync(ClinicDbContext db, KetaClinic.App.Data.TreatmentSession row, DateTimeOffset now, CancellationToken ct)
    {
        if (row.ChairId is not { } chairId)
        {
            return;
        }

        var other = await db.TreatmentSessions.AsNoTracking()
            .InProgress(ChairOccupancy.InProgressSince(now, Settings))
            .Where(s => s.ChairId == chairId && s.Id != row.Id)
            .OrderByDescending(s => s.CheckedInAt)
            .FirstOrDefaultAsync(ct);
        if (other is null)
        {
            return;
        }

        var chair = await db.Chairs.AsNoTracking().Where(c => c.Id == chairId).Select(c => c.Name).SingleOrDefaultAsync(ct) ?? "This chair";
        var name = (await NamesAsync(db, [other.PatientId], ct)).GetValueOrDefault(other.PatientId, "another patient");
        var at = other.CheckedInAt is { } c ? $", checked in at {clinic.ToClinicTime(c).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}" : "";
        throw new ChairOccupiedException(
            $"{chair} is still occupied by {name} (session {other.Id}, {other.Status}{at}). Discharge or stop that session, or book this one at another chair, before checking in: the chair's monitor files its values into the session in progress there.");
    }

    public Task<Result<SessionView>> RecordFactsAsync(Guid sessionId, ChairFactsRequest request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) =>
        {
            ArgumentNullException.ThrowIfNull(request);
            var v = new Validator();
            PregnancyTestResult? result = null;
            if (!string.IsNullOrWhiteSpace(request.PregnancyResult))
            {
                result = request.PregnancyResult.Trim().ToLowerInvariant() switch
                {
                    "negative" => PregnancyTestResult.Negative,
                    "positive" => PregnancyTestResult.Positive,
                    _ => null,
                };
                if (result is null)
                {
                    v.Add("pregnancyResult", "must be negative or positive.");
                }
            }

            var name = v.Text("companionName", request.CompanionName, 200, required: false);
            var phone = v.Text("companionPhone", request.CompanionPhone, 32, required: false);
            if ((name is null) != (phone is null))
            {
                v.Add(name is null ? "companionName" : "companionPhone", "is needed with the other: the companion's name and phone are confirmed together.");
            }

            foreach (var at in new[] { ("lastFoodAt", request.LastFoodAt), ("lastDrinkAt", request.LastDrinkAt), ("pregnancyTestedAt", request.PregnancyTestedAt) })
            {
                if (at.Item2 is { } t && t > now.AddMinutes(5))
                {
                    v.Add(at.Item1, "cannot be in the future.");
                }
            }

            if (!v.IsValid)
            {
                throw new DomainValidationException(v.Errors);
            }

            return Task.FromResult<(string, object)>((SessionEventKinds.ChairFacts, new ChairFacts(request.LastFoodAt, request.LastDrinkAt, name, phone,
                request.CanBecomePregnant, result, result is null ? null : request.PregnancyTestedAt ?? now,
                request.MedicationsReviewed ? SessionViews.Medications(request.Medications) : null, request.MedicationsReviewed)));
        }, ct);

    public Task<Result<SessionView>> OverrideGateAsync(Guid sessionId, OverrideRequest request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, async (db, loaded, now) =>
        {
            PreDoseGate gate;
            try
            {
                gate = PreDoseGates.Parse(request?.Gate?.Trim() ?? "");
            }
            catch (ArgumentException)
            {
                throw new DomainValidationException([new FieldError("gate", $"'{request?.Gate}' is not a pre-dose check (known: {string.Join(", ", PreDoseGates.All.Select(g => g.Code()))}).")]);
            }

            var facts = await factsLoader.LoadAsync(db, loaded, now, ct);
            return (SessionEventKinds.OverrideGate, new GateOverridePayload(gate, request!.Reason ?? "", facts));
        }, ct);

    public Task<Result<SessionView>> PassChecksAsync(Guid sessionId, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, async (db, loaded, now) =>
            (SessionEventKinds.PassChecks, new PassChecksPayload(await factsLoader.LoadAsync(db, loaded, now, ct))), ct);

    public Task<Result<SessionView>> StartDosingAsync(Guid sessionId, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>((SessionEventKinds.StartDosing, new EmptyPayload())), ct);

    public Task<Result<SessionView>> AcknowledgeAlertAsync(Guid sessionId, int alertNumber, AcknowledgeAlertRequest request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>(
            (SessionEventKinds.AcknowledgeAlert, new AcknowledgePayload(alertNumber, request?.Action ?? ""))), ct);

    public Task<Result<SessionView>> BeginRecoveryAsync(Guid sessionId, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>((SessionEventKinds.BeginRecovery, new EmptyPayload())), ct);

    public Task<Result<SessionView>> AssessAsync(Guid sessionId, AssessmentPayload request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>(
            (SessionEventKinds.DischargeAssessment, request ?? throw new DomainValidationException([new FieldError("body", "is required.")]))), ct);

    public Task<Result<SessionView>> DischargeAsync(Guid sessionId, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>((SessionEventKinds.Discharge, new EmptyPayload())), ct);

    /// <summary>A physician discharges with criteria unmet, with a written reason; the unmet criteria are recorded.</summary>
    public Task<Result<SessionView>> DischargeWithOverrideAsync(Guid sessionId, DischargeOverrideRequest request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>(
            (SessionEventKinds.DischargeOverride, new DischargeOverridePayload(request?.Reason ?? ""))), ct);

    public Task<Result<SessionView>> StopEarlyAsync(Guid sessionId, StopRequest request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) => Task.FromResult<(string, object)>(
            (SessionEventKinds.StopEarly, new StopPayload(request?.Reason ?? "", request?.FollowUp ?? ""))), ct);

    public Task<Result<SessionView>> RecordSideEffectAsync(Guid sessionId, SideEffectRequest request, Actor actor, CancellationToken ct) =>
        CommandAsync(sessionId, actor, (db, loaded, now) =>
        {
            var v = new Validator();
            var kind = Enum.GetValues<SideEffectKind>().Cast<SideEffectKind?>().FirstOrDefault(k => SideEffect.Code(k!.Value) == request?.Kind?.Trim());
            if (kind is null)
            {
                v.Add("kind", $"must be one of {string.Join(", ", Enum.GetValues<SideEffectKind>().Select(SideEffect.Code))}.");
            }

            var severity = Enum.GetValues<SideEffectSeverity>().Cast<SideEffectSeverity?>()
                .FirstOrDefault(s => string.Equals(s.ToString(), request?.Severity?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (severity is null)
            {
                v.Add("severity", "must be mild, moderate or severe.");
            }

            if (!v.IsValid)
            {
                throw new DomainValidationException(v.Errors);
            }

            return Task.FromResult<(string, object)>((SessionEventKinds.SideEffect, new SideEffectEntry(kind!.Value, severity!.Value, request!.ObservedAt ?? now,
                request.Description, request.Cadss6Score, request.ActionTaken, request.MedicationGiven, request.SeriousAdverseEvent)));
        }, ct);

    /// <summary>
    /// Adds newly stored vital signs to the session in the caller's transaction (monitor intake, keypad) and evaluates
    /// them for alerts. Values the session cannot take (dated before check-in) stay in vital_signs only. Returns how
    /// many alerts were raised.
    /// </summary>
    public async Task<int> AddVitalsWithinAsync(ClinicDbContext db, Guid sessionId, IReadOnlyList<VitalSignRecord> records, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        LoadedSession? loaded;
        try
        {
            loaded = await log.LoadAsync(db, sessionId, ct, now);
        }
        catch (SessionSetupException ex)
        {
            LogNotAdded(logger, sessionId, ex.Message);
            return 0;
        }

        return loaded is null ? 0 : AddVitalsWithin(db, loaded, records, actor, now) ?? 0;
    }

    /// <summary>
    /// Adds values to a session already rebuilt in this transaction (the HL7 intake keeps sessions rebuilt between
    /// batches); returns the number of alerts they raised, or null when the session refuses them (logged; the rebuilt
    /// session may then hold part of them and must be rebuilt again from what is stored).
    /// </summary>
    /// <param name="into">When given, the new event row is handed there for the caller to insert (see <see cref="SessionLog.Append"/>).</param>
    public int? AddVitalsWithin(ClinicDbContext db, LoadedSession loaded, IReadOnlyList<VitalSignRecord> records, Actor actor, DateTimeOffset now,
        ICollection<SessionEventRow>? into = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return 0;
        }

        var before = loaded.Session.Alerts.Count;
        try
        {
            log.Append(db, loaded, SessionEventKinds.Vitals, new VitalsPayload([.. records.Select(r => r.Id)]), SessionLog.ActorOf(actor), now,
                records.ToDictionary(r => r.Id), into);
        }
        catch (DomainValidationException ex)
        {
            LogNotAdded(logger, loaded.Row.Id, ex.Message);
            return null;
        }

        return loaded.Session.Alerts.Count - before;
    }

    private async Task<Result<SessionView>> CommandAsync(
        Guid sessionId, Actor actor, Func<ClinicDbContext, LoadedSession, DateTimeOffset, Task<(string Kind, object Payload)>> build, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsWrite))
        {
            return Result<SessionView>.Forbidden();
        }

        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        LoadedSession? loaded;
        try
        {
            loaded = await log.LoadAsync(db, sessionId, ct, now);
        }
        catch (SessionSetupException ex)
        {
            return Result<SessionView>.Conflict(ex.Message);
        }

        if (loaded is null)
        {
            return Result<SessionView>.NotFound($"No session with id {sessionId}.");
        }

        var by = await ByAsync(db, actor, ct);
        var alertsBefore = loaded.Session.Alerts.Count(a => a.IsOpen);
        string kind;
        try
        {
            var (k, payload) = await build(db, loaded, now);
            kind = k;
            log.Append(db, loaded, kind, payload, by, now);
        }
        catch (SessionTransitionException ex)
        {
            return Result<SessionView>.Conflict(ex.Message);
        }
        catch (DomainValidationException ex)
        {
            return Result<SessionView>.Invalid(ex.Errors);
        }
        catch (CommandRefusedException ex)
        {
            return ex.Result;
        }

        await audit.RecordAsync(db, actor, AuditActions.Update, SessionLog.SessionRecord, sessionId.ToString(), loaded.Row.PatientId,
            new { change = kind, state = loaded.Session.State.Code() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(loaded, alertsBefore != loaded.Session.Alerts.Count(a => a.IsOpen));
        return Result<SessionView>.Ok(await ViewAsync(db, loaded, now, ct));
    }

    internal async Task PublishAsync(LoadedSession loaded, bool alertsChanged)
    {
        await notifier.PublishAsync(new ClinicChange(ClinicNotifier.SessionsChanged, loaded.Row.PatientId));
        if (alertsChanged)
        {
            await notifier.PublishAsync(new ClinicChange(ClinicNotifier.AlertsChanged, loaded.Row.PatientId));
        }
    }

    /// <summary>The session actor for a signed-in user, named as staff know them (display name), with their chair role.</summary>
    internal static async Task<SessionActor> ByAsync(ClinicDbContext db, Actor actor, CancellationToken ct)
    {
        var name = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        var by = SessionLog.ActorOf(actor);
        return string.IsNullOrWhiteSpace(name) ? by : by with { Name = name };
    }

    internal static async Task<Dictionary<Guid, string>> NamesAsync(ClinicDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var set = ids.Distinct().ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => set.Contains(p.Id)).ToListAsync(ct);
        return patients.ToDictionary(p => p.Id, p => p.DisplayName);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vitals not added to session {SessionId}: {Reason}")]
    private static partial void LogNotAdded(ILogger logger, Guid sessionId, string reason);
}

/// <summary>A check-in at a chair where another patient's session is still in progress; answered 409.</summary>
internal sealed class ChairOccupiedException(string message) : Exception(message);

/// <summary>A step of a command (the ledger, for a dose) refused it: the command stores nothing and answers with this result.</summary>
internal sealed class CommandRefusedException(Result<SessionView> result) : Exception(result.Message)
{
    public Result<SessionView> Result { get; } = result;
}
