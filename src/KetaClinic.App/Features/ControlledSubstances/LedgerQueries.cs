using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

public sealed record JournalQuery(DateTimeOffset? From, DateTimeOffset? To, string? Kind, Guid? SessionId, long? Before, int Take = 100);

/// <summary>Reads of the ledger: stock, balances at an instant, the journal, a session's draws, alerts. Every read is audited.</summary>
public sealed class LedgerQueries(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    LedgerRules rules,
    LedgerBook book,
    PermissionGrants grants,
    Ledger ledger) : IControlledSubstanceAdministrations
{
    public async Task<Result<ReferenceView>> ReferenceAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        return Result<ReferenceView>.Ok(reference.View(clinic.Today(clock), rules.Settings));
    }

    /// <summary>Staff names and emails, for choosing a person in report filters and registrations.</summary>
    public async Task<Result<IReadOnlyList<PersonView>>> PeopleAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.ViewReports) && !grants.Allows(actor, LedgerPermissions.Manage))
        {
            return Result<IReadOnlyList<PersonView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Result<IReadOnlyList<PersonView>>.Ok([.. (await LedgerPeople.LoadAsync(db, ct)).All]);
    }

    public async Task<Result<StockView>> StockAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<StockView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var people = await LedgerPeople.LoadAsync(db, ct);
        var stock = await book.ReadAsync(db, view =>
        {
            var containers = view.State.Containers.Where(InStock).Select(c => ContainerView(c, reference, view)).ToList();
            var draws = view.State.OpenDraws.Select(d => DrawView(d, reference, people, view)).ToList();
            var balances = view.State.Flows
                .Select(f => new ProductStockView(f.ProductId, reference.ProductName(f.ProductId), f.StorageLocationId, reference.StorageName(f.StorageLocationId),
                    f.OnHand.Micrograms, reference.Describe(f.ProductId, f.OnHand),
                    containers.Where(c => c.ProductId == f.ProductId && c.StorageLocationId == f.StorageLocationId).Sum(c => c.BalanceMcg),
                    draws.Where(d => d.ProductId == f.ProductId && view.State.Draw(d.Sequence)?.StorageLocationId == f.StorageLocationId).Sum(d => d.RemainingMcg),
                    containers.Count(c => c.ProductId == f.ProductId && c.StorageLocationId == f.StorageLocationId && c.BalanceMcg > 0)))
                .OrderBy(b => b.Product, StringComparer.Ordinal).ThenBy(b => b.Storage, StringComparer.Ordinal).ToList();
            return new StockView(view.State.LastSequence, balances, containers, draws);
        }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, null, null, new { view = "stock", stock.LastSequence }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<StockView>.Ok(stock);
    }

    /// <summary>On hand of a product at a past instant (or now), clinic-wide or at one storage place.</summary>
    public async Task<Result<BalanceAtView>> BalanceAtAsync(Guid productId, Guid? storageLocationId, DateTimeOffset? at, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<BalanceAtView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        if (reference.Reference.Product(productId) is null)
        {
            return Result<BalanceAtView>.NotFound($"No product with id {productId}.");
        }
        var instant = at ?? clock.GetUtcNow();
        var onHand = await book.ReadAsync(db, view => view.Timeline.OnHandAt(productId, storageLocationId, instant), ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, null, null, new { view = "balance", productId, storageLocationId, at = instant }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<BalanceAtView>.Ok(new BalanceAtView(productId, reference.ProductName(productId), storageLocationId, instant, onHand.Micrograms, reference.Describe(productId, onHand)));
    }

    public async Task<Result<IReadOnlyList<LedgerEntryView>>> JournalAsync(JournalQuery query, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<IReadOnlyList<LedgerEntryView>>.Forbidden();
        }
        var take = Math.Clamp(query.Take, 1, 1000);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var people = await LedgerPeople.LoadAsync(db, ct);
        var picked = await book.ReadAsync(db, view =>
        {
            var describer = new LedgerDescriber(view, reference, people);
            var list = new List<LedgerEntry>();
            foreach (var e in view.State.Entries.Reverse())
            {
                if ((query.Before is { } before && e.Sequence >= before)
                    || (query.From is { } from && e.RecordedAt < from)
                    || (query.To is { } to && e.RecordedAt >= to)
                    || (!string.IsNullOrWhiteSpace(query.Kind) && !string.Equals(e.Kind, query.Kind.Trim(), StringComparison.OrdinalIgnoreCase))
                    || (query.SessionId is { } sid && describer.Links(e.Event).SessionId != sid))
                {
                    continue;
                }
                list.Add(e);
                if (list.Count >= take)
                {
                    break;
                }
            }
            return list;
        }, ct);
        var names = await PatientNamesAsync(db, picked.Select(e => e.Event).OfType<Administration>().Select(a => a.PatientId), ct);
        var rows = await book.ReadAsync(db, view =>
        {
            var describer = new LedgerDescriber(view, reference, people, id => names.GetValueOrDefault(id));
            return picked.Select(describer.View).ToList();
        }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Search, Ledger.LedgerRecord, null, null,
            new { view = "journal", query.From, query.To, query.Kind, query.SessionId, results = rows.Count, patientIds = rows.Where(r => r.PatientId is not null).Select(r => r.PatientId).Distinct() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<LedgerEntryView>>.Ok(rows);
    }

    /// <summary>Sessions of a clinic day (default today), and any session with drug still drawn, to draw or close them.</summary>
    public async Task<Result<IReadOnlyList<SessionChoice>>> SessionsAsync(DateOnly? day, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Draw) && !grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<IReadOnlyList<SessionChoice>>.Forbidden();
        }
        var d = day ?? clinic.Today(clock);
        var start = clinic.StartOfDay(d);
        var end = clinic.StartOfDay(d.AddDays(1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var open = await book.ReadAsync(db, view => view.State.OpenDraws.Select(x => x.SessionId).Distinct().ToList(), ct);
        var sessions = await SessionQuery(db, db.TreatmentSessions
                .Where(s => (s.ScheduledStart >= start && s.ScheduledStart < end && s.Status != "cancelled") || open.Contains(s.Id))
                .OrderBy(s => s.ScheduledStart).Take(200))
            .ToListAsync(ct);
        sessions = [.. sessions.OrderBy(x => x.S.ScheduledStart)];
        var choices = sessions.Select(ToChoice).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Search, Ledger.LedgerRecord, null, null,
            new { view = "sessions", day = d, results = choices.Count, patientIds = choices.Select(c => c.PatientId).Distinct() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<SessionChoice>>.Ok(choices);
    }

    public async Task<Result<SessionLedgerView>> SessionAsync(Guid sessionId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Draw) && !grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<SessionLedgerView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await SessionQuery(db, db.TreatmentSessions.Where(s => s.Id == sessionId)).SingleOrDefaultAsync(ct);
        if (session is null)
        {
            return Result<SessionLedgerView>.NotFound($"No session with id {sessionId}.");
        }
        var choice = ToChoice(session);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var people = await LedgerPeople.LoadAsync(db, ct);
        var today = clinic.Today(clock);
        var drug = session.Route == "intranasal-esketamine" ? ControlledDrug.EsketamineHydrochloride : ControlledDrug.KetamineHydrochloride;
        var result = await book.ReadAsync(db, view =>
        {
            var describer = new LedgerDescriber(view, reference, people, id => id == choice.PatientId ? choice.PatientName : null);
            var draws = view.State.Draws.Where(x => x.SessionId == sessionId).Select(x => DrawView(x, reference, people, view)).ToList();
            var drawSeqs = draws.Select(x => x.Sequence).ToHashSet();
            var entries = view.State.Entries.Where(e => e.Event switch
            {
                Draw x => x.SessionId == sessionId,
                Administration a => a.SessionId == sessionId,
                Waste { DrawSequence: { } ds } => drawSeqs.Contains(ds) || (view.State.Entry(ds)?.Event is Draw w && w.SessionId == sessionId),
                Correction c => view.State.Entry(c.OriginalSequence)?.Event is Draw or Administration or Waste
                    && describer.Links(view.State.Entry(c.OriginalSequence)!.Event).SessionId == sessionId,
                _ => false,
            }).Select(describer.View).ToList();
            var available = view.State.Containers
                .Where(c => c.State is ContainerState.Sealed or ContainerState.Open && c.Balance.Micrograms > 0 && c.ExpiresOn >= today
                    && reference.Reference.Product(c.ProductId)?.Drug == drug)
                .OrderBy(c => c.State == ContainerState.Open ? 0 : 1).ThenBy(c => c.ExpiresOn).ThenBy(c => c.ReceiptSequence)
                .Select(c => ContainerView(c, reference, view)).ToList();
            return new SessionLedgerView(choice, draws, entries, available, draws.All(x => x.RemainingMcg == 0));
        }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, sessionId.ToString(), choice.PatientId, new { view = "session", draws = result.Draws.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<SessionLedgerView>.Ok(result);
    }

    /// <inheritdoc />
    public Task<Result<LedgerEntryView>> RecordAdministrationAsync(AdministrationFromSession administration, Actor actor, CancellationToken ct) =>
        ledger.RecordAdministrationAsync(administration, actor, ct);

    /// <inheritdoc />
    public Task<LedgerWriteWithin> RecordAdministrationWithinAsync(ClinicDbContext db, AdministrationFromSession administration, Actor actor, CancellationToken ct) =>
        ledger.RecordAdministrationWithinAsync(db, administration, actor, ct);

    /// <summary>
    /// The close-draw check: every draw for the session is fully administered or wasted (drawn = administered + wasted).
    /// Conflict, listing the open draws, when not.
    /// </summary>
    public async Task<Result<SessionDrawCheck>> CloseSessionDrawsAsync(Guid sessionId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Draw) && !grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<SessionDrawCheck>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await db.TreatmentSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<SessionDrawCheck>.NotFound($"No session with id {sessionId}.");
        }
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var people = await LedgerPeople.LoadAsync(db, ct);
        var open = await book.ReadAsync(db, view => LedgerInvariants.UnbalancedDraws(view.State, sessionId).Select(d => DrawView(d, reference, people, view)).ToList(), ct);
        var message = open.Count == 0
            ? "Every draw for this session is fully administered or wasted."
            : "Drug drawn for this session is not accounted for: " + string.Join("; ", open.Select(d => $"draw {d.Sequence} has {d.Remaining} left (administer or waste it with a witness)")) + ".";
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, sessionId.ToString(), session.PatientId, new { view = "close-draw-check", balanced = open.Count == 0, open = open.Select(d => d.Sequence) }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var check = new SessionDrawCheck(sessionId, open.Count == 0, open, message);
        return open.Count == 0 ? Result<SessionDrawCheck>.Ok(check) : new Result<SessionDrawCheck>(ResultStatus.Conflict, check, [], message);
    }

    /// <summary>Draws still holding drug at the end of a clinic day (default: today so far).</summary>
    public async Task<Result<OpenDrawsView>> OpenDrawsAsync(DateOnly? day, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Draw) && !grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<OpenDrawsView>.Forbidden();
        }
        var d = day ?? clinic.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var people = await LedgerPeople.LoadAsync(db, ct);
        var open = await book.ReadAsync(db, view => LedgerInvariants.OpenDrawsAtEndOfDay(view.Entries(), d, clinic.Zone).Select(x => DrawView(x, reference, people, view)).ToList(), ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, null, null, new { view = "open-draws", day = d, open = open.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<OpenDrawsView>.Ok(new OpenDrawsView(d, open));
    }

    /// <summary>Chain, head and invariants of the stored ledger, as 'ketaclinic ledger verify' checks them.</summary>
    public async Task<Result<LedgerVerification>> VerifyAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<LedgerVerification>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var result = await LedgerVerifier.VerifyAsync(db, ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, null, null, new { view = "verify", result.Intact, result.EntriesChecked, result.FirstBrokenSequence }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<LedgerVerification>.Ok(result);
    }

    // ---------------------------------------------------------------- alerts

    /// <summary>
    /// What needs someone's attention: registrations about to lapse or lapsed (until acknowledged with a reason),
    /// open discrepancies (until resolved), overdue loss reports (until filed), inventories due and draws left open
    /// from an earlier day.
    /// </summary>
    public async Task<Result<IReadOnlyList<LedgerAlertView>>> AlertsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await ledger.MaySeeAlertsAsync(actor, ct))
        {
            return Result<IReadOnlyList<LedgerAlertView>>.Forbidden("Ledger alerts are shown to the registrant and to those who resolve them.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var alerts = await BuildAlertsAsync(db, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, Ledger.LedgerRecord, null, null, new { view = "alerts", alerts = alerts.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<LedgerAlertView>>.Ok(alerts);
    }

    public async Task<Result<LedgerAlertView>> AcknowledgeAsync(AcknowledgeLedgerAlertRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await ledger.MaySeeAlertsAsync(actor, ct))
        {
            return Result<LedgerAlertView>.Forbidden("Ledger alerts are acknowledged by the registrant or those who resolve them.");
        }
        var v = new KetaClinic.Domain.Common.Validator();
        var key = v.Text("key", request?.Key, 120, required: true);
        var reason = v.Text("reason", request?.Reason, 1000, required: true);
        if (!v.IsValid)
        {
            return Result<LedgerAlertView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var alert = (await BuildAlertsAsync(db, ct)).SingleOrDefault(a => a.Key == key);
        if (alert is null)
        {
            return Result<LedgerAlertView>.NotFound($"No open ledger alert '{key}'.");
        }
        if (alert.Action != "acknowledge")
        {
            return Result<LedgerAlertView>.Conflict($"This alert is closed by {alert.Action}, not by an acknowledgement.");
        }
        db.LedgerAlertAcknowledgements.Add(new LedgerAlertAcknowledgement
        {
            Id = Guid.NewGuid(),
            AlertKey = key!,
            AcknowledgedAt = clock.GetUtcNow(),
            AcknowledgedBy = actor.UserId,
            AcknowledgedByName = actor.UserName,
            Reason = reason!,
        });
        await audit.RecordAsync(db, actor, AuditActions.Update, Ledger.LedgerRecord, key, null, new { change = "alert-acknowledged", key, reason }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<LedgerAlertView>.Ok(alert);
    }

    private async Task<List<LedgerAlertView>> BuildAlertsAsync(ClinicDbContext db, CancellationToken ct)
    {
        var today = clinic.Today(clock);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var people = await LedgerPeople.LoadAsync(db, ct);
        var acknowledged = (await db.LedgerAlertAcknowledgements.AsNoTracking().Select(a => a.AlertKey).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var settings = rules.Settings;
        var alerts = new List<LedgerAlertView>();
        foreach (var row in reference.RegistrationRows)
        {
            var standing = reference.Registrations[row.Id].StandingOn(today, settings);
            if (standing.Status is not (RegistrationStatus.ExpiringSoon or RegistrationStatus.Expired))
            {
                continue;
            }
            // The renewal of the same registration already on file closes the warning.
            if (reference.RegistrationRows.Any(r => r.Id != row.Id && r.Number == row.Number && r.LocationId == row.LocationId && r.ExpiresOn > row.ExpiresOn && r.ValidFrom <= row.ExpiresOn.AddDays(1)))
            {
                continue;
            }
            var key = $"registration:{row.Id}:{standing.Status}";
            if (acknowledged.Contains(key))
            {
                continue;
            }
            var registrant = row.RegistrantUserId is null ? row.RegistrantName : people.Full(row.RegistrantUserId);
            alerts.Add(new LedgerAlertView(key, standing.Status == RegistrationStatus.Expired ? "registration-expired" : "registration-expiring",
                standing.Status == RegistrationStatus.Expired ? "high" : "moderate",
                standing.Status == RegistrationStatus.Expired
                    ? $"DEA registration {row.Number} ({reference.LocationNames.GetValueOrDefault(row.LocationId)}) expired on {Day(row.ExpiresOn)}: no controlled substance may be received or drawn under it. Registrant: {registrant}."
                    : $"DEA registration {row.Number} ({reference.LocationNames.GetValueOrDefault(row.LocationId)}) expires on {Day(row.ExpiresOn)}, in {standing.DaysUntilExpiry} days ({settings.RegistrationExpiryWarningDays.Source}). Registrant: {registrant}.",
                row.ExpiresOn, "acknowledge", row.Id, null, null, null));
        }
        var state = await book.ReadAsync(db, view => (
            Discrepancies: view.State.OpenDiscrepancies.ToList(),
            Losses: LossDeadlines.Status(view.State, today, rules.Holidays, settings).ToList(),
            Inventories: reference.StorageRows.Select(s => s.LocationId).Distinct().Select(l => InventorySchedule.Status(view.State, l, today, settings)).ToList(),
            OpenDraws: view.State.OpenDraws.Where(d => DateOnly.FromDateTime(clinic.ToClinicTime(d.DrawnAt).DateTime) < today).ToList(),
            Labels: view.ContainerIndex()), ct);
        var labels = state.Labels;
        foreach (var d in state.Discrepancies)
        {
            var disc = d.Discrepancy;
            alerts.Add(new LedgerAlertView($"discrepancy:{d.Ref.CountSequence}:{d.Ref.Index}", "discrepancy", "high",
                $"{d.CountKind} count on {Day(d.CountedOn)} (entry {d.Ref.CountSequence}): container {labels.GetValueOrDefault(disc.ContainerId)?.Label} ({reference.ProductName(disc.ProductId)}) "
                + $"should hold {reference.Describe(disc.ProductId, disc.Expected)} by the ledger but {(disc.Estimated ? "was estimated at" : "was counted at")} {reference.Describe(disc.ProductId, disc.Counted)} "
                + $"(difference {reference.Describe(disc.ProductId, disc.Difference)}). Counted by {string.Join(" and ", d.CountedBy.Select(people.Name))}.",
                d.CountedOn, "resolve", null, d.Ref.CountSequence, d.Ref.Index, null));
        }
        foreach (var l in state.Losses)
        {
            if (l.WrittenNoticeOverdue)
            {
                alerts.Add(new LedgerAlertView($"loss:{l.LossSequence}:notice", "loss-notice-overdue", "high",
                    $"{LedgerDescriber.LossKindText(l.LossKind)} discovered {Day(l.DiscoveredOn)} (entry {l.LossSequence}): the written notice to the DEA field office was due {Day(l.WrittenNoticeDue)} ({settings.LossNoticeBusinessDays.Source}) and is not recorded as sent.",
                    l.WrittenNoticeDue, "file", null, null, null, l.LossSequence));
            }
            if (l.Form106Overdue)
            {
                alerts.Add(new LedgerAlertView($"loss:{l.LossSequence}:form106", "form106-overdue", "high",
                    $"{LedgerDescriber.LossKindText(l.LossKind)} discovered {Day(l.DiscoveredOn)} (entry {l.LossSequence}): DEA Form 106 was due {Day(l.Form106Due)} ({settings.Form106Days.Source}) and is not recorded as filed.",
                    l.Form106Due, "file", null, null, null, l.LossSequence));
            }
            else if (l.Form106FiledOn is null && !l.Form106Overdue)
            {
                alerts.Add(new LedgerAlertView($"loss:{l.LossSequence}:form106-due", "form106-due", "moderate",
                    $"{LedgerDescriber.LossKindText(l.LossKind)} discovered {Day(l.DiscoveredOn)} (entry {l.LossSequence}): DEA Form 106 is due by {Day(l.Form106Due)}"
                    + (l.WrittenNoticeFiledOn is null && !l.WrittenNoticeOverdue ? $"; the written notice by {Day(l.WrittenNoticeDue)}." : "."),
                    l.Form106Due, "file", null, null, null, l.LossSequence));
            }
        }
        foreach (var inv in state.Inventories.Where(i => i.Overdue))
        {
            alerts.Add(new LedgerAlertView($"inventory:{inv.ClinicLocationId}", "inventory-due", "moderate",
                inv.InitialMissing
                    ? $"{reference.LocationNames.GetValueOrDefault(inv.ClinicLocationId)} has no initial inventory on the ledger; take it (opening or close of business) before handling stock."
                    : $"{reference.LocationNames.GetValueOrDefault(inv.ClinicLocationId)}: the {inv.LastInventoryKind} inventory of {Day(inv.LastInventoryOn!.Value)} is older than {settings.InventoryIntervalYears.Value} years ({settings.InventoryIntervalYears.Source}); take the next one.",
                inv.DueOn, "count", null, null, null, null));
        }
        foreach (var d in state.OpenDraws)
        {
            alerts.Add(new LedgerAlertView($"open-draw:{d.Sequence}", "open-draw", "high",
                $"Draw {d.Sequence} for session {LedgerDescriber.Label(d.SessionId)} on {Day(DateOnly.FromDateTime(clinic.ToClinicTime(d.DrawnAt).DateTime))} still has {reference.Describe(d.ProductId, d.Remaining)} not administered or wasted (drawn by {people.Name(d.DrawnBy)}).",
                null, "close the draw", null, null, null, null));
        }
        return alerts;
    }

    // ---------------------------------------------------------------- helpers

    internal static bool InStock(ContainerView c) => c.State is ContainerState.Sealed or ContainerState.Open or ContainerState.Empty;

    internal static ContainerStockView ContainerView(ContainerView c, LedgerReferenceData reference, LedgerView view) =>
        new(c.Id, view.Label(c.Id), c.ProductId, reference.ProductName(c.ProductId), c.Lot, c.ExpiresOn, c.StorageLocationId, reference.StorageName(c.StorageLocationId),
            c.State.ToString(), c.Balance.Micrograms, reference.Describe(c.ProductId, c.Balance), c.ReceiptSequence);

    internal static DrawStockView DrawView(DrawView d, LedgerReferenceData reference, LedgerPeople people, LedgerView view) =>
        new(d.Sequence, d.SessionId, d.ContainerId, view.Label(d.ContainerId), d.ProductId, reference.ProductName(d.ProductId), d.DrawnBy, people.Name(d.DrawnBy),
            d.DrawnAt, d.Drawn.Micrograms, d.Administered.Micrograms, d.Wasted.Micrograms, d.Remaining.Micrograms,
            reference.Describe(d.ProductId, d.Drawn), reference.Describe(d.ProductId, d.Remaining));

    internal sealed record SessionRow(TreatmentSession S, string Given, string Family, string? Preferred, string Mrn, string? Route);

    internal static IQueryable<SessionRow> SessionQuery(ClinicDbContext db, IQueryable<TreatmentSession> sessions) =>
        from s in sessions.AsNoTracking()
        join p in db.Patients on s.PatientId equals p.Id
        join c in db.TreatmentCourses on s.CourseId equals c.Id into courses
        from c in courses.DefaultIfEmpty()
        select new SessionRow(s, p.LegalGivenName, p.LegalFamilyName, p.PreferredName, p.Mrn, c == null ? null : c.Route);

    internal static SessionChoice ToChoice(SessionRow x) =>
        new(x.S.Id, x.S.PatientId, $"{x.Given} {x.Family}", x.Mrn, x.S.SequenceNumber, x.S.ScheduledStart, x.S.Status, x.Route ?? string.Empty);

    internal static async Task<Dictionary<Guid, string>> PatientNamesAsync(ClinicDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        foreach (var chunk in wanted.Chunk(500))
        {
            foreach (var p in await db.Patients.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.LegalGivenName, p.LegalFamilyName, p.Mrn }).ToListAsync(ct))
            {
                names[p.Id] = $"{p.LegalGivenName} {p.LegalFamilyName} (MRN {p.Mrn})";
            }
        }
        return names;
    }


    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
