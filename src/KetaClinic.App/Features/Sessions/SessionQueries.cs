using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Hl7;
using KetaClinic.App.Security;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

public sealed partial class Sessions
{
    /// <summary>
    /// The chair board: every session with a patient in a chair, projected by the domain (<see cref="ChairBoard.Project"/>);
    /// an audited read.
    /// </summary>
    public async Task<Result<IReadOnlyList<ChairRowView>>> ChairBoardAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsRead))
        {
            return Result<IReadOnlyList<ChairRowView>>.Forbidden();
        }

        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Read and rebuild first, outside the audit-head lock, so a board reload never holds up the writers (a monitor
        // stream files many times a second); the rows are returned only once their audit entry has committed. Sessions
        // are kept rebuilt between reloads and take only the events stored since (SessionReadCache).
        var inChair = await db.TreatmentSessions.AsNoTracking().Where(s => VitalsIntake.SessionsAtChair.Contains(s.Status))
            .Select(s => new StoredSession(s, db.SessionEvents.Where(e => e.SessionId == s.Id).Max(e => (int?)e.Sequence) ?? 0))
            .ToListAsync(ct);
        var names = await NamesAsync(db, inChair.Select(s => s.Row.PatientId), ct);
        var chairs = await db.Chairs.AsNoTracking().ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, ct);
        var rows = (await readCache.UseCurrentAsync(db, inChair, now, l =>
                ChairBoard.Project([new ChairBoardEntry(names.GetValueOrDefault(l.Row.PatientId, "?"), l.Session)], now, Settings)
                    .Select(r => new ChairRowView(chairs.GetValueOrDefault(r.ChairId, r.ChairId), r.SessionId, r.PatientDisplay, r.ProtocolName, r.Phase.Words(),
                        (int)r.InPhase.TotalMinutes, r.SinceDoseStart is { } d ? (int)d.TotalMinutes : null,
                        [.. r.LatestVitals.Select(Tile)], [.. r.OpenAlerts.Select(Alert)], r.NextDueCheck is { } n ? Due(n) : null, [.. r.OverdueChecks.Select(Due)],
                        r.Discharge?.CanDischarge, [.. r.Discharge?.Missing ?? []]))
                    .ToList(),
                (id, ex) => LogNotAdded(logger, id, ex.Message), ct))
            .SelectMany(r => r)
            .ToList();

        readCache.KeepOnly([.. inChair.Select(s => s.Row.Id)]);
        rows = [.. rows.OrderBy(r => r.Chair, StringComparer.Ordinal)];
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, SessionLog.SessionRecord, null, null, new { board = "chairs", count = rows.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<ChairRowView>>.Ok(rows);
    }

    internal async Task<SessionView> ViewAsync(ClinicDbContext db, LoadedSession loaded, DateTimeOffset now, CancellationToken ct)
    {
        var s = loaded.Session;
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == loaded.Row.PatientId).Select(p => new { p.Id, p.Mrn }).SingleAsync(ct);
        var name = (await NamesAsync(db, [patient.Id], ct))[patient.Id];
        var chair = loaded.Row.ChairId is { } c ? await db.Chairs.AsNoTracking().Where(x => x.Id == c).Select(x => x.Name).SingleOrDefaultAsync(ct) : null;
        IReadOnlyList<CheckView> checks = [];
        var canStart = false;
        DoseView? dose = null;
        if (s.State is SessionState.CheckedIn or SessionState.PreDoseChecksPassed or SessionState.Dosing)
        {
            var facts = s.State == SessionState.CheckedIn || s.PreDoseFacts is null ? await factsLoader.LoadAsync(db, loaded, now, ct) : s.PreDoseFacts;
            var list = s.EvaluatePreDoseChecks(facts, Settings, now);
            checks = [.. list.Checks.Select(Check)];
            canStart = list.CanStartDosing;
            var calc = await CalculateAsync(db, loaded, now, ct);
            dose = new DoseView(calc.Dose is { } mg ? Mg(mg.Value) : "—", calc.Trace, calc.IsAllowed, [.. calc.HardStops.Select(h => h.Message)],
                calc.Dose?.Value, calc.DeviceCount, calc.WeightUsed is { } kg ? kg.Value.ToString("0.#", CultureInfo.InvariantCulture) + " kg" : null);
        }
        else if (s.ChecklistAtDosing is { } atDosing)
        {
            checks = [.. atDosing.Checks.Select(Check)];
            canStart = true;
        }

        var monitoring = s.State.IsInChair() ? s.MonitoringStatus(now, Settings) : null;
        var discharge = s.State is SessionState.Monitoring or SessionState.Recovery ? s.EvaluateDischarge(now, Settings) : s.DischargeDecision;
        var ledgerSeq = loaded.Events.LastOrDefault(e => e.Kind == SessionEventKinds.CompleteDosing) is { } de ? SessionLog.Read<DosingPayload>(de).LedgerEntrySequence : null;
        return new SessionView(
            s.Id, patient.Id, name, patient.Mrn, s.Protocol.Id, s.Protocol.Name, loaded.Plan.Protocol.Route.ToString().ToLowerInvariant(), chair,
            s.State.Code(), s.State.Words(), loaded.Row.ScheduledStart,
            [.. s.History.Select(t => new TransitionView(t.From?.Code(), t.To.Code(), t.By.Name, t.By.Role.ToString().ToLowerInvariant(), t.At, t.Reason))],
            checks, canStart, dose,
            s.DosingRecord is { } r ? Dosing(r, ledgerSeq) : null,
            [.. ChairBoard.LatestWithTrend(s.Vitals, now, s.VitalCounts).Select(Tile)],
            [.. s.Vitals.Select(v => new VitalReadingView(VitalCodes.Code(v.Kind), v.Value.Amount, VitalSigns.Symbol(v.Value.Unit), v.ObservedAt, v.Device.EquipmentInstance ?? ""))],
            [.. s.Alerts.Select(Alert)],
            [.. s.SideEffects.Select(e => new SideEffectView(e.Number, SideEffect.Code(e.Entry.Kind), e.Entry.Severity.ToString().ToLowerInvariant(), e.Entry.ObservedAt,
                e.Entry.Description, e.Entry.Cadss6Score, e.Entry.ActionTaken, e.Entry.MedicationGiven, e.Entry.SeriousAdverseEvent, e.RecordedBy.Name))],
            discharge is null ? [] : [.. discharge.Criteria.Select(x => new CriterionView(x.Code, x.Status.ToString().ToLowerInvariant(), x.Sentence, x.Source))],
            discharge?.CanDischarge ?? false,
            monitoring?.Next is { } next ? Due(next) : null,
            monitoring is null ? [] : [.. monitoring.Overdue.Select(Due)],
            loaded.Facts,
            s.Stop?.Reason,
            s.DischargeOverride is { } o ? new DischargeOverrideView(o.By.Name, o.At, o.Reason, o.UnmetCriteria) : null);
    }

    public async Task<ChairChoices> ChoicesAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsWrite))
        {
            return new ChairChoices([], []);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clinical = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .Where(x => x.Name == ClinicRoles.Nurse || x.Name == ClinicRoles.Physician).Select(x => x.UserId).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive && clinical.Contains(u.Id)).OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var products = await db.ControlledProducts.AsNoTracking().Select(p => new { p.Id, p.Drug, p.Form, p.Ndc }).ToListAsync(ct);
        return new ChairChoices([.. users.Select(u => (u.Id, u.DisplayName))], [.. products.Select(p => (p.Id, $"{p.Drug} {p.Form} NDC {p.Ndc}"))]);
    }

    private static CheckView Check(PreDoseCheckResult c) =>
        new(c.Code, c.Gate.Title(), c.Status.Code(), c.Sentence, c.Source, c.Override?.By.Name, c.Override?.Reason);

    private static DosingView Dosing(DosingRecord r, long? ledgerSequence) => new(
        r.Id, r.CalculatedDose.Value, r.GivenDose.Value, r.DoseDifferenceReason, r.Route.ToString().ToLowerInvariant(), r.Site, r.StartedAt, r.EndedAt,
        r.InfusionVolumeMl, r.InfusionRateMlPerHour, r.DeviceCount, r.Product.Name, r.Product.Lot, r.PreparedBy.Name, r.AdministeredBy.Name,
        r.SecondCheck?.By.Name, ledgerSequence);

    internal static VitalTileView Tile(VitalTile t) => new(VitalCodes.Code(t.Kind), t.Value.ToString(), t.ObservedAt, t.Trend switch
    {
        VitalTrend.Up => "up",
        VitalTrend.Down => "down",
        VitalTrend.Flat => "flat",
        _ => "first",
    });

    internal static AlertView Alert(SessionAlert a) => new(
        a.Number, a.Kind.ToString(), a.Severity.ToString().ToLowerInvariant(), a.Message, a.Source, a.RaisedAt, SessionAlert.Code(a.Level),
        a.Acknowledgement?.By.Name, a.Acknowledgement?.At, a.Acknowledgement?.Action);

    internal static DueView Due(DueCheck d) => new(d.Code, d.Label, d.DueAt, d.Status.ToString().ToLowerInvariant());

    private static string Mg(decimal mg) => mg.ToString("0.##", CultureInfo.InvariantCulture) + " mg";
}

/// <summary>Choices for the chair forms: who can check a calculation, which controlled products exist. No patient data.</summary>
public sealed record ChairChoices(IReadOnlyList<(string Id, string Name)> Clinicians, IReadOnlyList<(Guid Id, string Name)> Products);
