using System.Globalization;
using System.Net;
using System.Text;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.ControlledSubstances;
using KetaClinic.Domain.Patients;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>Filters shared by the reports; each report uses those that mean something for it.</summary>
public sealed record LedgerReportFilter(
    DateOnly? From = null, DateOnly? To = null, Guid? ProductId = null, Guid? PatientId = null, string? Person = null,
    Guid? StorageLocationId = null, Guid? ContainerId = null, string? PatientMrn = null);

/// <summary>A report as a table of text, the same on screen, in CSV and on paper.</summary>
public sealed record LedgerReportTable(
    string Report, string Title, string Subtitle, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<bool> Flagged, IReadOnlyList<string> Notes, DateTimeOffset GeneratedAt, string GeneratedBy, long LastSequence);

/// <summary>
/// The ledger's reports (21 CFR 1304.22(c) records, REFERENCE.md §8): the dispensing/administration log, a patient's
/// administration history, running balances per product and per container, counts and inventories, waste and
/// destruction, and losses with their report deadlines. Every report is audited with the patients it names.
/// </summary>
public sealed class LedgerReportService(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    LedgerRules rules,
    LedgerBook book,
    PermissionGrants grants)
{
    public const string ReportRecord = "ledger-report";

    public static readonly IReadOnlyDictionary<string, string> Reports = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["administrations"] = "Dispensing and administration log",
        ["patient-history"] = "Patient administration history",
        ["product-balance"] = "Running balance of a product",
        ["container-balance"] = "Running balance per container",
        ["inventory"] = "Counts and inventories",
        ["disposals"] = "Waste and destruction log",
        ["losses"] = "Losses and thefts",
    };

    public async Task<Result<LedgerReportTable>> BuildAsync(string report, LedgerReportFilter filter, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.ViewReports))
        {
            return Result<LedgerReportTable>.Forbidden();
        }
        if (!Reports.TryGetValue(report ?? string.Empty, out var title))
        {
            return Result<LedgerReportTable>.NotFound($"No ledger report '{report}'; reports are {string.Join(", ", Reports.Keys)}.");
        }
        var today = clinic.Today(clock);
        var to = filter.To ?? today;
        var from = filter.From ?? to.AddDays(-30);
        if (from > to)
        {
            return Result<LedgerReportTable>.Invalid("from", "must not be after 'to'.");
        }
        if (report == "patient-history" && filter.PatientId is null && string.IsNullOrWhiteSpace(filter.PatientMrn))
        {
            return Result<LedgerReportTable>.Invalid("patientId", "is required: choose the patient (or give the MRN).");
        }
        if (report == "product-balance" && filter.ProductId is null)
        {
            return Result<LedgerReportTable>.Invalid("productId", "is required: choose the product.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (filter.PatientId is null && !string.IsNullOrWhiteSpace(filter.PatientMrn))
        {
            var mrn = filter.PatientMrn.Trim().ToUpperInvariant();
            var found = await db.Patients.AsNoTracking().Where(p => p.Mrn == mrn).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(ct);
            if (found is null)
            {
                return Result<LedgerReportTable>.Invalid("mrn", $"no patient has MRN {mrn}.");
            }
            filter = filter with { PatientId = found };
        }
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        if (filter.ProductId is { } pid && reference.Reference.Product(pid) is null)
        {
            return Result<LedgerReportTable>.Invalid("productId", "is not a product of this clinic.");
        }
        var people = await LedgerPeople.LoadAsync(db, ct);
        var person = ResolvePerson(filter.Person, people);
        var (entries, containers, last) = await book.ReadAsync(db, view => (view.Entries(), view.ContainerIndex(), view.State.LastSequence), ct);
        var start = clinic.StartOfDay(from);
        var end = clinic.StartOfDay(to.AddDays(1));
        var ctx = new Context(reference, people, containers, entries, person, start, end, filter);
        var (columns, rows, flagged, notes, patientIds) = report switch
        {
            "administrations" => await AdministrationsAsync(db, ctx, filter.PatientId, includePatient: true, ct),
            "patient-history" => await AdministrationsAsync(db, ctx, filter.PatientId, includePatient: false, ct),
            "product-balance" => ProductBalance(ctx),
            "container-balance" => ContainerBalance(ctx),
            "inventory" => Inventory(ctx),
            "disposals" => Disposals(ctx),
            _ => Losses(ctx, today),
        };
        var subtitle = new List<string>();
        if (report is not ("losses" or "patient-history"))
        {
            subtitle.Add($"{Day(from)} to {Day(to)} ({clinic.TimeZone})");
        }
        if (filter.ProductId is { } p)
        {
            subtitle.Add(reference.ProductName(p));
        }
        if (filter.StorageLocationId is { } sl)
        {
            subtitle.Add(reference.StorageName(sl));
        }
        if (filter.PatientId is { } patient)
        {
            subtitle.Add(await PatientLineAsync(db, patient, ct));
        }
        if (person is not null)
        {
            subtitle.Add("person: " + people.Full(person));
        }
        if (filter.ContainerId is { } cid)
        {
            subtitle.Add("container " + (containers.TryGetValue(cid, out var ci) ? ci.Label : LedgerDescriber.Label(cid)));
        }
        var now = clock.GetUtcNow();
        await audit.RecordAsync(db, actor, AuditActions.Read, ReportRecord, report, filter.PatientId,
            new { report, from, to, filter.ProductId, filter.PatientId, person, filter.StorageLocationId, filter.ContainerId, rows = rows.Count, patientIds }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var registrations = reference.RegistrationRows.Where(r => r.ValidFrom <= to && r.ExpiresOn >= from)
            .Select(r => $"DEA {r.Number} ({reference.LocationNames.GetValueOrDefault(r.LocationId)}, registrant {r.RegistrantName}, valid {Day(r.ValidFrom)} to {Day(r.ExpiresOn)})");
        return Result<LedgerReportTable>.Ok(new LedgerReportTable(report!, title, string.Join(" · ", subtitle), columns, rows, flagged,
            [.. registrations, .. notes], now, people.Full(actor.UserId) is { Length: > 0 } full && full != actor.UserId ? full : actor.UserName, last));
    }

    // ---------------------------------------------------------------- reports

    private sealed record Context(
        LedgerReferenceData Reference, LedgerPeople People, IReadOnlyDictionary<Guid, ContainerInfo> Containers, IReadOnlyList<LedgerEntry> Entries,
        string? Person, DateTimeOffset Start, DateTimeOffset End, LedgerReportFilter Filter)
    {
        public string Lot(Guid container) => Containers.TryGetValue(container, out var c) ? c.Lot : string.Empty;

        public Guid? ProductOf(Guid container) => Containers.TryGetValue(container, out var c) ? c.ProductId : null;

        public string Label(Guid container) => Containers.TryGetValue(container, out var c) ? c.Label : LedgerDescriber.Label(container);
    }

    private sealed record Built(List<string> Columns, List<IReadOnlyList<string>> Rows, List<bool> Flagged, List<string> Notes, List<Guid> PatientIds);

    private async Task<Built> AdministrationsAsync(ClinicDbContext db, Context c, Guid? patientId, bool includePatient, CancellationToken ct)
    {
        var log = patientId is { } only && !includePatient
            ? LedgerReports.PatientHistory(c.Entries, only)
            : LedgerReports.AdministrationLog(c.Entries, new AdministrationLogFilter(c.Start, c.End, c.Filter.ProductId, patientId, c.Person, IncludeReversed: true));
        if (!includePatient && c.Filter.ProductId is { } onlyProduct)
        {
            log = [.. log.Where(r => r.ProductId == onlyProduct)];
        }
        var ids = log.Select(r => r.PatientId).Distinct().ToList();
        var patients = new Dictionary<Guid, Patient>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var p in await db.Patients.AsNoTracking().Where(p => chunk.Contains(p.Id)).ToListAsync(ct))
            {
                patients[p.Id] = p;
            }
        }
        var columns = new List<string> { "Administered at" };
        if (includePatient)
        {
            columns.AddRange(["Patient", "MRN", "Address"]);
        }
        columns.AddRange(["Product", "NDC", "Container", "Lot", "Amount", "mg", "Administered by", "Drawn by", "Drawn at", "Session", "Draw #", "Entry #", "Reversed by"]);
        var rows = new List<IReadOnlyList<string>>();
        var flagged = new List<bool>();
        foreach (var r in log)
        {
            var row = new List<string> { Time(r.AdministeredAt) };
            if (includePatient)
            {
                var p = patients.GetValueOrDefault(r.PatientId);
                row.AddRange([p is null ? r.PatientId.ToString() : $"{p.LegalGivenName} {p.LegalFamilyName}", p?.Mrn ?? string.Empty, p is null ? string.Empty : Address(p)]);
            }
            var product = c.Reference.Reference.Product(r.ProductId);
            row.AddRange([
                product?.Description ?? r.ProductId.ToString(), product?.Ndc.Text ?? string.Empty, c.Label(r.ContainerId), r.Lot,
                c.Reference.Describe(r.ProductId, r.Mass), Mg(r.Mass), c.People.Full(r.AdministeredBy), c.People.Full(r.DrawnBy), Time(r.DrawnAt),
                LedgerDescriber.Label(r.SessionId), Num(r.DrawSequence), Num(r.Sequence), r.ReversedBy is { } rb ? Num(rb) : string.Empty]);
            rows.Add(row);
            flagged.Add(r.ReversedBy is not null);
        }
        var given = log.Where(r => r.ReversedBy is null).GroupBy(r => r.ProductId)
            .Select(g => $"Total administered, {c.Reference.ProductName(g.Key)}: {c.Reference.Describe(g.Key, g.Aggregate(MassMcg.Zero, (s, x) => s + x.Mass))} in {g.Count()} administrations.");
        return new Built(columns, rows, flagged, [.. given, "Reversed administrations are listed with the correction that reversed them and not counted in the totals."], ids);
    }

    private Built ProductBalance(Context c)
    {
        var productId = c.Filter.ProductId!.Value;
        var all = LedgerReports.ProductRunningBalance(c.Entries, productId, c.Filter.StorageLocationId);
        var opening = all.LastOrDefault(r => r.RecordedAt < c.Start)?.OnHand ?? MassMcg.Zero;
        var rows = new List<IReadOnlyList<string>> { new List<string> { string.Empty, Time(c.Start), "opening balance", string.Empty, c.Reference.Describe(productId, opening), Mg(opening) } };
        var flagged = new List<bool> { false };
        foreach (var r in all.Where(r => r.RecordedAt >= c.Start && r.RecordedAt < c.End))
        {
            rows.Add([Num(r.Sequence), Time(r.RecordedAt), r.Kind, Signed(productId, r.Change, c), c.Reference.Describe(productId, r.OnHand), Mg(r.OnHand)]);
            flagged.Add(r.OnHand.Micrograms < 0);
        }
        return new Built(["Entry #", "Recorded at", "Kind", "Change", "On hand", "On hand (mg)"], rows, flagged,
            [c.Filter.StorageLocationId is null ? "Clinic-wide: transfers between storage places do not change it." : "At this storage place, transfers included.",
                "On hand = receipts − administered − wasted − returned − destroyed − lost ± transfers; drug drawn and not yet given or wasted is still on hand."], []);
    }

    private Built ContainerBalance(Context c)
    {
        var rows = new List<IReadOnlyList<string>>();
        var flagged = new List<bool>();
        foreach (var r in LedgerReports.ContainerRunningBalance(c.Entries, c.Filter.ContainerId)
            .Where(r => r.RecordedAt >= c.Start && r.RecordedAt < c.End)
            .Where(r => c.Filter.ProductId is null || r.ProductId == c.Filter.ProductId)
            .Where(r => c.Filter.StorageLocationId is null || r.StorageLocationId == c.Filter.StorageLocationId))
        {
            rows.Add([Num(r.Sequence), Time(r.RecordedAt), r.Kind, c.Label(r.ContainerId), c.Reference.ProductName(r.ProductId), c.Lot(r.ContainerId),
                c.Reference.StorageName(r.StorageLocationId), Signed(r.ProductId, r.Change, c), c.Reference.Describe(r.ProductId, r.Balance), r.State?.ToString() ?? "reversed"]);
            flagged.Add(r.Balance.Micrograms < 0);
        }
        return new Built(["Entry #", "Recorded at", "Kind", "Container", "Product", "Lot", "Storage", "Change", "Balance", "State"], rows, flagged, [], []);
    }

    private static Built Inventory(Context c)
    {
        var state = LedgerState.Replay(c.Entries);
        var rows = new List<IReadOnlyList<string>>();
        var flagged = new List<bool>();
        foreach (var e in state.Entries.Where(e => e.Event is StockCount && e.RecordedAt >= c.Start && e.RecordedAt < c.End))
        {
            var count = (StockCount)e.Event;
            if (c.Person is { } who && !count.CountedBy.Contains(who, StringComparer.Ordinal))
            {
                continue;
            }
            var place = count.StorageLocationId is { } s ? c.Reference.StorageName(s) : c.Reference.LocationNames.GetValueOrDefault(count.ClinicLocationId, string.Empty);
            var counters = string.Join(" and ", count.CountedBy.Select(c.People.Full));
            var timing = count.Timing switch
            {
                InventoryTiming.OpeningOfBusiness => "opening of business",
                InventoryTiming.CloseOfBusiness => "close of business",
                _ => string.Empty,
            };
            var byContainer = count.Discrepancies.Select((d, i) => (d, i)).ToDictionary(x => x.d.ContainerId, x => x);
            var lines = count.Lines.Select(l => (l.ContainerId, Counted: (CountLine?)l)).ToList();
            lines.AddRange(count.Discrepancies.Where(d => count.Lines.All(l => l.ContainerId != d.ContainerId)).Select(d => (d.ContainerId, Counted: (CountLine?)null)));
            if (lines.Count == 0)
            {
                rows.Add([Num(e.Sequence), Day(count.CountedOn), count.CountKind.ToString(), timing, place, counters, count.Signature ?? string.Empty, "(nothing in stock)", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty]);
                flagged.Add(false);
            }
            foreach (var (containerId, line) in lines)
            {
                var product = c.ProductOf(containerId);
                if (c.Filter.ProductId is { } only && product != only)
                {
                    continue;
                }
                var disc = byContainer.TryGetValue(containerId, out var x) ? x : ((Discrepancy d, int i)?)null;
                var resolution = disc is { } dd ? state.Discrepancy(new DiscrepancyRef(e.Sequence, dd.i)) : null;
                rows.Add([Num(e.Sequence), Day(count.CountedOn), count.CountKind.ToString(), timing, place, counters, count.Signature ?? string.Empty,
                    c.Label(containerId) + (product is { } pp ? ", " + c.Reference.ProductName(pp) : string.Empty), c.Lot(containerId),
                    line is null ? "not counted" : (product is { } p1 ? c.Reference.Describe(p1, line.CountedMass) : line.CountedMass.ToString()),
                    line?.Estimated == true ? "estimated" : "exact",
                    disc is { } d1 ? (product is { } p2 ? c.Reference.Describe(p2, d1.d.Expected) : d1.d.Expected.ToString()) : "as counted",
                    disc is { } d2 ? "difference " + (product is { } p3 ? Signed(p3, d2.d.Difference, c) : d2.d.Difference.ToString()) : "none",
                    resolution is null ? string.Empty : resolution.IsOpen ? "OPEN" : $"resolved by {c.People.Name(resolution.ResolvedBy)}: {resolution.Resolution}"]);
                flagged.Add(resolution is { IsOpen: true });
            }
        }
        return new Built(["Entry #", "Date", "Kind", "Timing", "Place", "Counted by", "Signature", "Container", "Lot", "Counted", "How", "Ledger balance", "Discrepancy", "Resolution"],
            rows, flagged, ["Inventories (initial, biennial, annual) cover every storage place of a registered location; opened containers may be estimated."], []);
    }

    private Built Disposals(Context c)
    {
        var rows = new List<IReadOnlyList<string>>();
        var flagged = new List<bool>();
        foreach (var r in LedgerReports.WasteAndDestructionLog(c.Entries, c.Start, c.End, includeReversed: true)
            .Where(r => c.Filter.ProductId is null || r.ProductId == c.Filter.ProductId)
            .Where(r => c.Person is null || r.By == c.Person || r.Witnesses.Contains(c.Person, StringComparer.Ordinal)))
        {
            rows.Add([Num(r.Sequence), Time(r.RecordedAt), r.Disposal == DisposalKind.Waste ? "waste" : "destruction", c.Reference.ProductName(r.ProductId),
                c.Label(r.ContainerId), c.Lot(r.ContainerId), r.DrawSequence is { } ds ? Num(ds) : string.Empty,
                c.Reference.Describe(r.ProductId, r.Mass), r.Manner, c.People.Full(r.By), string.Join("; ", r.Witnesses.Select(c.People.Full)),
                r.Form41Reference ?? string.Empty, r.ReversedBy is { } rb ? Num(rb) : string.Empty]);
            flagged.Add(r.ReversedBy is not null || (r.Disposal == DisposalKind.Waste && r.Witnesses.Count == 0));
        }
        return new Built(["Entry #", "Recorded at", "Kind", "Product", "Container", "Lot", "Draw #", "Amount", "Manner or method", "By", "Witnesses", "Form 41", "Reversed by"],
            rows, flagged, ["Routine waste is recorded here, not on DEA Form 41; destruction of stock is on Form 41 with two witnesses (REFERENCE.md §8)."], []);
    }

    private Built Losses(Context c, DateOnly today)
    {
        var rows = new List<IReadOnlyList<string>>();
        var flagged = new List<bool>();
        foreach (var r in LedgerReports.LossRecords(c.Entries, today, rules.Holidays, rules.Settings, includeReversed: true))
        {
            var s = r.Reports;
            var products = r.Loss.Loss.Lines.Select(l => c.ProductOf(l.ContainerId)).ToList();
            if (c.Filter.ProductId is { } only && !products.Contains(only))
            {
                continue;
            }
            rows.Add([Num(r.Loss.Sequence), LedgerDescriber.LossKindText(s.LossKind), Day(s.DiscoveredOn), r.Loss.Loss.Circumstances,
                string.Join("; ", r.Loss.Loss.Lines.Select(l => $"{c.Label(l.ContainerId)} {(c.ProductOf(l.ContainerId) is { } p ? c.Reference.Describe(p, l.Mass) : l.Mass.ToString())}")),
                Mg(r.TotalLost), Day(s.WrittenNoticeDue), s.WrittenNoticeFiledOn is { } n ? Day(n) : string.Empty, Status(s.WrittenNoticeFiledOn, s.WrittenNoticeOverdue, s.WrittenNoticeLate),
                Day(s.Form106Due), s.Form106FiledOn is { } f ? Day(f) : string.Empty, Status(s.Form106FiledOn, s.Form106Overdue, s.Form106Late),
                r.Loss.Reversed ? "reversed" : string.Empty]);
            flagged.Add(!r.Loss.Reversed && (s.WrittenNoticeOverdue || s.Form106Overdue));
        }
        return new Built(["Entry #", "Kind", "Discovered", "Circumstances", "Containers", "Total lost", "Notice due", "Notice filed", "Notice", "Form 106 due", "Form 106 filed", "Form 106", "Reversed"],
            rows, flagged, [$"Written notice to the DEA field office: {rules.Settings.LossNoticeBusinessDays.Value} business day(s) after discovery ({rules.Settings.LossNoticeBusinessDays.Source}).",
                $"DEA Form 106: {rules.Settings.Form106Days.Value} days after discovery ({rules.Settings.Form106Days.Source})."], []);
    }

    // ---------------------------------------------------------------- rendering

    /// <summary>RFC 4180 CSV; text that a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    public static string ToCsv(LedgerReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sb = new StringBuilder();
        sb.Append(string.Join(',', table.Columns.Select(Csv))).Append("\r\n");
        foreach (var row in table.Rows)
        {
            sb.Append(string.Join(',', row.Select(Csv))).Append("\r\n");
        }
        return sb.ToString();
    }

    public static string Csv(string? value)
    {
        var text = value ?? string.Empty;
        if (text.Length > 0 && (text[0] is '=' or '+' or '@' or '\t' or '\r' || (text[0] == '-' && (text.Length == 1 || !char.IsAsciiDigit(text[1])))))
        {
            text = "'" + text;
        }
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>A page to print or save as PDF: the same table with a header naming the clinic, the filters and who printed it.</summary>
    public string ToHtml(LedgerReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        static string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(table.Title)).Append("</title><style>")
            .Append("body{font:12px/1.35 system-ui,sans-serif;color:#111;margin:1.5rem}h1{font-size:1.3rem;margin:0 0 .2rem}p{margin:.2rem 0}")
            .Append("table{border-collapse:collapse;width:100%;margin-top:.8rem}th,td{border:1px solid #999;padding:.25rem .35rem;text-align:left;vertical-align:top}")
            .Append("th{background:#eee}tr.flag td{background:#fde8e6;font-weight:600}.meta{color:#444}.notes{margin-top:.8rem;color:#333}")
            .Append("@media print{@page{size:landscape;margin:12mm}body{margin:0}th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}tr{page-break-inside:avoid}thead{display:table-header-group}.noprint{display:none}}")
            .Append("</style></head><body>");
        sb.Append("<p class=\"noprint\"><button onclick=\"window.print()\">Print</button></p>");
        sb.Append("<h1>").Append(E(clinic.Name)).Append(" — ").Append(E(table.Title)).Append("</h1>");
        if (table.Subtitle.Length > 0)
        {
            sb.Append("<p>").Append(E(table.Subtitle)).Append("</p>");
        }
        sb.Append("<p class=\"meta\">Printed ").Append(E(Time(table.GeneratedAt))).Append(" by ").Append(E(table.GeneratedBy))
            .Append(" from ledger entries 1–").Append(table.LastSequence.ToString(CultureInfo.InvariantCulture)).Append(". ")
            .Append(table.Rows.Count.ToString(CultureInfo.InvariantCulture)).Append(" rows.</p>");
        sb.Append("<table><thead><tr>");
        foreach (var c in table.Columns)
        {
            sb.Append("<th>").Append(E(c)).Append("</th>");
        }
        sb.Append("</tr></thead><tbody>");
        for (var i = 0; i < table.Rows.Count; i++)
        {
            sb.Append(table.Flagged.Count > i && table.Flagged[i] ? "<tr class=\"flag\">" : "<tr>");
            foreach (var cell in table.Rows[i])
            {
                sb.Append("<td>").Append(E(cell)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table><div class=\"notes\">");
        foreach (var note in table.Notes)
        {
            sb.Append("<p>").Append(E(note)).Append("</p>");
        }
        sb.Append("</div></body></html>");
        return sb.ToString();
    }

    // ---------------------------------------------------------------- helpers

    private static string? ResolvePerson(string? person, LedgerPeople people)
    {
        var text = person?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return people.All.FirstOrDefault(p => string.Equals(p.Id, text, StringComparison.Ordinal) || string.Equals(p.Email, text, StringComparison.OrdinalIgnoreCase))?.Id ?? text;
    }

    private static async Task<string> PatientLineAsync(ClinicDbContext db, Guid id, CancellationToken ct)
    {
        var p = await db.Patients.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return p is null ? $"patient {id}" : $"{p.LegalGivenName} {p.LegalFamilyName}, MRN {p.Mrn}, born {Day(p.DateOfBirth)}, {Address(p)}";
    }

    private static string Address(Patient p) =>
        string.Join(", ", new[] { p.AddressLine1, p.AddressLine2, p.City, string.Join(' ', new[] { p.Region, p.PostalCode }.Where(s => !string.IsNullOrWhiteSpace(s))) }
            .Where(s => !string.IsNullOrWhiteSpace(s)));

    private static string Signed(Guid productId, MassMcg change, Context c) =>
        (change.Micrograms > 0 ? "+" : change.Micrograms < 0 ? "−" : string.Empty) + c.Reference.Describe(productId, new MassMcg(Math.Abs(change.Micrograms)));

    private static string Status(DateOnly? filed, bool overdue, bool late) =>
        filed is not null ? (late ? "filed late" : "filed") : overdue ? "OVERDUE" : "due";

    private static string Mg(MassMcg mass) => mass.Milligrams.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private string Time(DateTimeOffset instant) => clinic.ToClinicTime(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

}
