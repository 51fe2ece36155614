using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

/// <summary>One moment of the session record, in time order.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Text, string? By);

/// <summary>A billing code the session supports, with the clinic's own short label (not the AMA descriptor) and why it applies.</summary>
public sealed record BillingCodeView(string Code, string Label, int Units, string Reason, string Source);

/// <summary>The whole session for the chart: timeline, checks, dose, vitals, alerts, side effects, discharge, billing codes.</summary>
public sealed record SessionRecordView(SessionView Session, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<BillingCodeView> BillingCodes);

/// <summary>Billing thresholds from REFERENCE.md §9, each with its source.</summary>
public sealed record SessionBillingSettings
{
    public SourcedSetting<int> InfusionFirstHourOverMinutes { get; init; } = new(15, "REFERENCE.md §9 [firm]: 96365 IV infusion, first hour (> 15 min)");

    public SourcedSetting<int> InfusionHourMinutes { get; init; } = new(60, "REFERENCE.md §9 [firm]: 96366 each additional hour");

    /// <summary>How far past the previous hour an infusion must run for the next 96366 unit.</summary>
    public SourcedSetting<int> InfusionAdditionalHourOverMinutes { get; init; } = new(30,
        "payer rule [open]: the CPT time rule for add-on hour codes counts an additional hour once the infusion runs more than 30 minutes past the previous hour; REFERENCE.md §9 names 96366 but not the rule, so the clinic confirms it with its payers");

    public SourcedSetting<decimal> EsketamineLowerDoseMaxMg { get; init; } = new(56m, "REFERENCE.md §9 [firm]: G2082 ≤ 56 mg, G2083 > 56 mg");

    public SourcedSetting<DateOnly> EsketamineDrugCodeFrom { get; init; } = new(new DateOnly(2026, 1, 1), "REFERENCE.md §9 [secondary]: esketamine drug code J0013 from 1 Jan 2026");

    public static SessionBillingSettings Default { get; } = new();
}

/// <summary>Derives a session's billing codes from its route and dosing record (REFERENCE.md §9). Pure.</summary>
public static class SessionBilling
{
    public static IReadOnlyList<BillingCodeView> Codes(string route, DosingView? dosing, DateOnly treatmentDate, SessionBillingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (dosing is null)
        {
            return []; // nothing was given: no treatment code
        }

        var codes = new List<BillingCodeView>();
        var minutes = (int)Math.Floor((dosing.EndedAt - dosing.StartedAt).TotalMinutes);
        switch (route)
        {
            case "intravenous" or "iv":
                if (minutes > settings.InfusionFirstHourOverMinutes.Value)
                {
                    codes.Add(new("96365", "IV infusion, first hour", 1, $"infusion of {minutes} min", settings.InfusionFirstHourOverMinutes.Source));
                    var hour = settings.InfusionHourMinutes.Value;
                    var past = settings.InfusionAdditionalHourOverMinutes.Value;
                    var beyondFirst = minutes - hour;
                    // One unit for each hour after the first that the infusion runs more than `past` minutes into.
                    var more = beyondFirst > past ? ((beyondFirst - past - 1) / hour) + 1 : 0;
                    if (more > 0)
                    {
                        codes.Add(new("96366", "IV infusion, each additional hour", more,
                            $"{minutes} min: {more} additional hour(s), each counted past {past} min into it", settings.InfusionHourMinutes.Source + "; " + settings.InfusionAdditionalHourOverMinutes.Source));
                    }
                }

                break;
            case "intramuscular" or "im":
                codes.Add(new("96372", "IM injection", 1, "intramuscular dose given", "REFERENCE.md §9 [firm]: 96372 IM/SC injection"));
                break;
            case "intranasal" or "intranasal-esketamine":
                var low = dosing.GivenMg <= settings.EsketamineLowerDoseMaxMg.Value;
                codes.Add(new(low ? "G2082" : "G2083", low ? "Supervised esketamine, up to 56 mg, with observation" : "Supervised esketamine, over 56 mg, with observation", 1,
                    $"{dosing.GivenMg.ToString("0.##", CultureInfo.InvariantCulture)} mg given", settings.EsketamineLowerDoseMaxMg.Source));
                if (treatmentDate >= settings.EsketamineDrugCodeFrom.Value)
                {
                    codes.Add(new("J0013", "Esketamine drug supply", 1, "esketamine given", settings.EsketamineDrugCodeFrom.Source));
                }

                break;
        }

        return codes;
    }
}

/// <summary>The printable and JSON session record; every read is audited.</summary>
public sealed class SessionRecords(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings clinic, SessionLog log, Sessions sessions)
{
    public SessionBillingSettings Billing { get; } = SessionBillingSettings.Default;

    public async Task<Result<SessionRecordView>> GetAsync(Guid sessionId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsRead))
        {
            return Result<SessionRecordView>.Forbidden();
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
            return Result<SessionRecordView>.Conflict(ex.Message);
        }

        if (loaded is null)
        {
            return Result<SessionRecordView>.NotFound($"No session with id {sessionId}.");
        }

        var view = await sessions.ViewAsync(db, loaded, now, ct);
        var date = DateOnly.FromDateTime(clinic.ToClinicTime(view.Dosing?.StartedAt ?? view.ScheduledStart).DateTime);
        var record = new SessionRecordView(view, Timeline(view), SessionBilling.Codes(view.Route, view.Dosing, date, Billing));
        await audit.RecordAsync(db, actor, AuditActions.Read, SessionLog.SessionRecord, sessionId.ToString(), loaded.Row.PatientId, new { document = "session-record" }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<SessionRecordView>.Ok(record);
    }

    private static List<TimelineEntry> Timeline(SessionView v)
    {
        var list = new List<TimelineEntry>();
        list.AddRange(v.History.Select(t => new TimelineEntry(t.At, "state", $"{t.From ?? "—"} → {t.To}" + (t.Reason is null ? "" : $": {t.Reason}"), t.By)));
        list.AddRange(v.Checks.Where(c => c.OverriddenBy is not null).Select(c => new TimelineEntry(
            v.History.FirstOrDefault(h => h.To == "pre-dose-checks-passed")?.At ?? v.ScheduledStart, "override", $"{c.Title} overridden: {c.OverrideReason}", c.OverriddenBy)));
        if (v.Dosing is { } d)
        {
            var mg = d.GivenMg.ToString("0.##", CultureInfo.InvariantCulture);
            list.Add(new(d.StartedAt, "dose", $"Dose started: {mg} mg given (calculated {d.CalculatedMg.ToString("0.##", CultureInfo.InvariantCulture)} mg), {d.Product} lot {d.Lot}"
                + (d.DifferenceReason is null ? "" : $"; difference: {d.DifferenceReason}"), d.AdministeredBy));
            list.Add(new(d.EndedAt, "dose", "Dose ended", d.AdministeredBy));
        }

        list.AddRange(v.Vitals.GroupBy(x => x.ObservedAt).Select(g => new TimelineEntry(g.Key, "vitals",
            string.Join(", ", g.Select(x => $"{x.Kind} {x.Value.ToString("0.##", CultureInfo.InvariantCulture)} {x.Unit}")), null)));
        foreach (var a in v.Alerts)
        {
            list.Add(new(a.RaisedAt, "alert", $"Alert {a.Number} ({a.Severity}): {a.Message}", null));
            if (a.AcknowledgedAt is { } at)
            {
                list.Add(new(at, "acknowledgement", $"Alert {a.Number} acknowledged: {a.Action}", a.AcknowledgedBy));
            }
        }

        list.AddRange(v.SideEffects.Select(s => new TimelineEntry(s.ObservedAt, "side-effect",
            $"{s.Kind} ({s.Severity})" + (s.Description is null ? "" : $": {s.Description}") + (s.SeriousAdverseEvent ? " — serious adverse event" : ""), s.RecordedBy)));
        return [.. list.OrderBy(e => e.At)];
    }
}
