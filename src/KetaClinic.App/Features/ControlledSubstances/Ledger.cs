using System.Globalization;
using System.Text.RegularExpressions;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>
/// The seam the session module calls: a dose given from a draw, and the check, when a session closes, that every
/// draw for it is fully administered or wasted.
/// </summary>
public interface IControlledSubstanceAdministrations
{
    Task<Result<LedgerEntryView>> RecordAdministrationAsync(AdministrationFromSession administration, Actor actor, CancellationToken ct);

    /// <summary>
    /// The same, inside the caller's transaction (begun with <see cref="AuditTrail.BeginAsync"/>), so the dose and its
    /// ledger entry are stored together or not at all. The caller saves and commits, then runs <see cref="LedgerWriteWithin.AfterCommit"/>.
    /// </summary>
    Task<LedgerWriteWithin> RecordAdministrationWithinAsync(ClinicDbContext db, AdministrationFromSession administration, Actor actor, CancellationToken ct);

    Task<Result<SessionDrawCheck>> CloseSessionDrawsAsync(Guid sessionId, Actor actor, CancellationToken ct);
}

/// <summary>A ledger write made in the caller's transaction, and what to run once the caller has committed it.</summary>
public sealed record LedgerWriteWithin(Result<LedgerEntryView> Result, Func<Task> AfterCommit);

/// <summary>
/// Writes to the controlled-substance ledger. Every write: the actor's permission, input checks, a transaction that
/// holds the audit head and then the ledger's chain head (so writers run one at a time on either database), the
/// ledger as it stands, the domain's decision, the entry and its audit entry stored together, or nothing at all.
/// </summary>
public sealed partial class Ledger(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    LedgerRules rules,
    LedgerBook book,
    PermissionGrants grants,
    WitnessAuthenticator witnesses)
{
    public const string EntryRecord = "ledger-entry";
    public const string LedgerRecord = "controlled-substance-ledger";

    public LedgerSettings Settings => rules.Settings;

    public bool Can(Actor actor, string permission) => grants.Allows(actor, permission);

    /// <summary>How every write starts: refused without the permission, or without a body; null when it may go on.</summary>
    private Result<LedgerEntryView>? Refusal(Actor actor, string permission, object? request)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Can(actor, permission))
        {
            return Result<LedgerEntryView>.Forbidden();
        }
        return request is null ? Result<LedgerEntryView>.Invalid("body", "is required.") : null;
    }

    // ---------------------------------------------------------------- writes

    public async Task<Result<LedgerEntryView>> ReceiveAsync(ReceiptRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Receive, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var lines = request.Lines ?? [];
        if (lines.Count == 0)
        {
            v.Add("lines", "must list at least one product and lot.");
        }
        var containers = new List<ReceiptLine>();
        var lineOf = new List<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var count = line?.Containers ?? 0;
            if (line is null)
            {
                v.Add($"lines[{i}]", "is required.");
                continue;
            }
            if (count is < 1 or > 200)
            {
                v.Add($"lines[{i}].containers", "must be between 1 and 200 containers.");
                continue;
            }
            if (line.ExpiresOn is null)
            {
                v.Add($"lines[{i}].expiresOn", "is required.");
            }
            for (var k = 0; k < count; k++)
            {
                containers.Add(new ReceiptLine(Guid.NewGuid(), line.ProductId, line.Lot ?? string.Empty, line.ExpiresOn ?? default));
                lineOf.Add(i);
            }
        }
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        var (verifier, error) = await witnesses.AuthenticateAsync("verifier", request.Verifier, actor, "receipt", [LedgerPermissions.Receive, LedgerPermissions.Witness], [], ct);
        if (error is not null)
        {
            return Result<LedgerEntryView>.Invalid([error]);
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(
            new RecordReceipt(request.StorageLocationId, request.ReceivedOn ?? s.Today, LedgerInput.Supplier(request.Supplier), request.InvoiceNumber ?? string.Empty,
                containers, actor.UserId, verifier!.UserId),
            MapField: f => MapContainerField(f, lineOf))), ct);
    }

    public async Task<Result<LedgerEntryView>> TransferAsync(TransferRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Receive, request) is { } refused)
        {
            return refused;
        }
        return await AppendAsync(actor, async s =>
        {
            var from = request.FromStorageLocationId
                ?? await book.ReadAsync(s.Db, view => view.State.Container(request.ContainerId)?.StorageLocationId, ct)
                ?? Guid.Empty;
            return new Prepared(new RecordTransfer(request.ContainerId, from, request.ToStorageLocationId, actor.UserId, request.Note));
        }, ct);
    }

    public async Task<Result<LedgerEntryView>> DrawAsync(DrawRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Draw, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var amount = LedgerInput.Amount(v, "amount", request.Amount);
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        return await AppendAsync(actor, async s =>
        {
            var session = await s.Db.TreatmentSessions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == request.SessionId, ct);
            if (session is null)
            {
                return Prepared.Refuse(Result<LedgerEntryView>.NotFound($"No session with id {request.SessionId}."));
            }
            if (session.Status == "cancelled")
            {
                return Prepared.Refuse(Result<LedgerEntryView>.Invalid("sessionId", "is cancelled: nothing is drawn for a cancelled session."));
            }
            return new Prepared(new RecordDraw(request.ContainerId, amount!.Value, session.Id, actor.UserId, request.DrawnAt ?? s.Now), session.PatientId);
        }, ct);
    }

    public async Task<Result<LedgerEntryView>> AdministerAsync(AdministrationRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Draw, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var amount = LedgerInput.Amount(v, "amount", request.Amount);
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        return await AdministerAsync(request.SessionId, request.PatientId, request.DrawSequence, request.DosingRecordId ?? Guid.NewGuid(), amount!.Value,
            string.IsNullOrWhiteSpace(request.AdministeredBy) ? actor.UserId : request.AdministeredBy.Trim(), request.AdministeredAt, actor, ct);
    }

    /// <summary>The seam for the session module: a dose given from a draw, with the session's dosing record.</summary>
    public Task<Result<LedgerEntryView>> RecordAdministrationAsync(AdministrationFromSession administration, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(administration);
        ArgumentNullException.ThrowIfNull(actor);
        if (!Can(actor, LedgerPermissions.Draw))
        {
            return Task.FromResult(Result<LedgerEntryView>.Forbidden());
        }
        return AdministerAsync(administration.SessionId, administration.PatientId, administration.DrawSequence, administration.DosingRecordId,
            administration.Amount, administration.AdministeredBy, administration.AdministeredAt, actor, ct);
    }

    /// <summary>The seam inside the session's own transaction: see <see cref="IControlledSubstanceAdministrations.RecordAdministrationWithinAsync"/>.</summary>
    public async Task<LedgerWriteWithin> RecordAdministrationWithinAsync(ClinicDbContext db, AdministrationFromSession administration, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(administration);
        ArgumentNullException.ThrowIfNull(actor);
        if (!Can(actor, LedgerPermissions.Draw))
        {
            return new LedgerWriteWithin(Result<LedgerEntryView>.Forbidden(), () => Task.CompletedTask);
        }
        var (result, entry) = await AppendWithinAsync(db, actor, PrepareAdministration(administration.SessionId, administration.PatientId, administration.DrawSequence,
            administration.DosingRecordId, administration.Amount, administration.AdministeredBy, administration.AdministeredAt, actor, ct), ct);
        return new LedgerWriteWithin(result, entry is null ? () => Task.CompletedTask : () => book.AppliedAsync(entry));
    }

    private Task<Result<LedgerEntryView>> AdministerAsync(
        Guid sessionId, Guid? patientId, long drawSequence, Guid dosingRecordId, MeasuredAmount amount, string administeredBy, DateTimeOffset? at, Actor actor, CancellationToken ct) =>
        AppendAsync(actor, PrepareAdministration(sessionId, patientId, drawSequence, dosingRecordId, amount, administeredBy, at, actor, ct), ct);

    private Func<WriteScope, Task<Prepared>> PrepareAdministration(
        Guid sessionId, Guid? patientId, long drawSequence, Guid dosingRecordId, MeasuredAmount amount, string administeredBy, DateTimeOffset? at, Actor actor, CancellationToken ct) =>
        async s =>
        {
            var session = await s.Db.TreatmentSessions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == sessionId, ct);
            if (session is null)
            {
                return Prepared.Refuse(Result<LedgerEntryView>.NotFound($"No session with id {sessionId}."));
            }
            if (patientId is { } p && p != session.PatientId)
            {
                return Prepared.Refuse(Result<LedgerEntryView>.Invalid("patientId", "is not the patient of this session."));
            }
            if (!string.Equals(administeredBy, actor.UserId, StringComparison.Ordinal))
            {
                var roles = await RolesOfAsync(s.Db, administeredBy, ct);
                if (roles is null)
                {
                    return Prepared.Refuse(Result<LedgerEntryView>.Invalid("administeredBy", "is not a user of this clinic."));
                }
                if (!grants.Allows(LedgerPermissions.Draw, roles))
                {
                    return Prepared.Refuse(Result<LedgerEntryView>.Invalid("administeredBy", "has no role this clinic allows to give controlled substances."));
                }
            }
            return new Prepared(new RecordAdministration(drawSequence, session.Id, dosingRecordId, session.PatientId, amount, administeredBy, at ?? s.Now), session.PatientId);
        };

    public async Task<Result<LedgerEntryView>> WasteAsync(WasteRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Draw, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var amount = LedgerInput.Amount(v, "amount", request.Amount);
        v.Text("manner", request.Manner, 200, required: true);
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        WitnessAttestation? witness = null;
        var witnessGiven = !string.IsNullOrWhiteSpace(request.Witness?.Email) || !string.IsNullOrEmpty(request.Witness?.Password);
        if (witnessGiven || rules.Settings.WasteWitnessRequired.Value)
        {
            var (attestation, error) = await witnesses.AuthenticateAsync("witness", request.Witness, actor, "waste", [LedgerPermissions.Witness], [], ct);
            if (error is not null)
            {
                return Result<LedgerEntryView>.Invalid([error]);
            }
            witness = attestation;
        }
        return await AppendAsync(actor, async s =>
        {
            Guid? patient = null;
            if (request.DrawSequence is { } ds)
            {
                var sessionId = await book.ReadAsync(s.Db, view => view.State.Draw(ds)?.SessionId, ct);
                patient = sessionId is null ? null : await s.Db.TreatmentSessions.Where(x => x.Id == sessionId).Select(x => (Guid?)x.PatientId).SingleOrDefaultAsync(ct);
            }
            return new Prepared(new RecordWaste(request.DrawSequence, request.ContainerId, amount!.Value, request.Manner!.Trim(), actor.UserId, witness, request.WastedAt ?? s.Now), patient);
        }, ct);
    }

    public async Task<Result<LedgerEntryView>> ReturnAsync(ReturnRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Dispose, request) is { } refused)
        {
            return refused;
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(new RecordReturnToSupplier(
            request.ContainerIds ?? [], LedgerInput.Supplier(request.Supplier), request.ReturnedOn ?? s.Today, request.Reference ?? string.Empty, actor.UserId, request.Reason))), ct);
    }

    public async Task<Result<LedgerEntryView>> DestroyAsync(DestructionRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Dispose, request) is { } refused)
        {
            return refused;
        }
        var needed = rules.Settings.DestructionWitnesses.Value;
        var given = request.Witnesses ?? [];
        if (given.Count != needed)
        {
            return Result<LedgerEntryView>.Invalid("witnesses", $"must be {needed} people, each signing in for this entry ({rules.Settings.DestructionWitnesses.Source}); got {given.Count}.");
        }
        var attestations = new List<WitnessAttestation>();
        for (var i = 0; i < given.Count; i++)
        {
            var (attestation, error) = await witnesses.AuthenticateAsync($"witnesses[{i}]", given[i], actor, "destruction", [LedgerPermissions.Witness], [.. attestations.Select(a => a.UserId)], ct);
            if (error is not null)
            {
                return Result<LedgerEntryView>.Invalid([error]);
            }
            attestations.Add(attestation!);
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(new RecordDestruction(
            request.ContainerIds ?? [], request.DestroyedOn ?? s.Today, request.Method ?? string.Empty, request.Form41Reference ?? string.Empty, actor.UserId, attestations))), ct);
    }

    public async Task<Result<LedgerEntryView>> ReportLossAsync(LossRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.ReportLoss, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var kind = LedgerInput.Enum<LossKind>(v, "lossKind", request.LossKind);
        var lines = new List<LossLine>();
        var input = request.Lines ?? [];
        for (var i = 0; i < input.Count; i++)
        {
            lines.Add(new LossLine(input[i]?.ContainerId ?? Guid.Empty, LedgerInput.Amount(v, $"lines[{i}].amount", input[i]?.Amount, required: false)));
        }
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(new RecordLossOrTheft(
            kind!.Value, request.DiscoveredOn ?? s.Today, request.Circumstances ?? string.Empty, lines, actor.UserId))), ct);
    }

    public async Task<Result<LedgerEntryView>> RecordLossReportAsync(long lossSequence, LossReportRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.ReportLoss, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var report = LedgerInput.Enum<LossReportKind>(v, "report", request.Report);
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(new RecordLossReportFiled(
            lossSequence, report!.Value, request.FiledOn ?? s.Today, request.Reference ?? string.Empty, actor.UserId))), ct);
    }

    public async Task<Result<LedgerEntryView>> CorrectAsync(CorrectionRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Correct, request) is { } refused)
        {
            return refused;
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(new RecordCorrection(request.OriginalSequence, request.Reason ?? string.Empty, actor.UserId))), ct);
    }

    public async Task<Result<LedgerEntryView>> CountAsync(CountRequest request, Actor actor, CancellationToken ct)
    {
        if (Refusal(actor, LedgerPermissions.Count, request) is { } refused)
        {
            return refused;
        }
        var v = new Validator();
        var kind = LedgerInput.Enum<CountKind>(v, "countKind", request.CountKind);
        var timing = LedgerInput.Enum<InventoryTiming>(v, "timing", request.Timing, required: false);
        var lines = new List<CountEntry>();
        var input = request.Lines ?? [];
        for (var i = 0; i < input.Count; i++)
        {
            var counted = LedgerInput.Amount(v, $"lines[{i}].counted", input[i]?.Counted);
            lines.Add(new CountEntry(input[i]?.ContainerId ?? Guid.Empty, counted ?? default, input[i]?.Estimated ?? false));
        }
        if (!v.IsValid)
        {
            return Result<LedgerEntryView>.Invalid(v.Errors);
        }
        var counters = new List<string> { actor.UserId };
        if (!string.IsNullOrWhiteSpace(request.SecondCounter?.Email) || !string.IsNullOrEmpty(request.SecondCounter?.Password))
        {
            var (second, error) = await witnesses.AuthenticateAsync("secondCounter", request.SecondCounter, actor, "count", [LedgerPermissions.Count], [], ct);
            if (error is not null)
            {
                return Result<LedgerEntryView>.Invalid([error]);
            }
            counters.Add(second!.UserId);
        }
        return await AppendAsync(actor, s =>
        {
            var location = request.ClinicLocationId
                ?? (request.StorageLocationId is { } sid ? s.Reference.Reference.Storage(sid)?.ClinicLocationId : null)
                ?? Guid.Empty;
            return Task.FromResult(new Prepared(new RecordCount(kind!.Value, location, request.StorageLocationId, request.CountedOn ?? s.Today, timing,
                lines, counters, request.Signature)));
        }, ct);
    }

    public async Task<Result<LedgerEntryView>> ResolveDiscrepancyAsync(ResolveDiscrepancyRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (request is null)
        {
            return Result<LedgerEntryView>.Invalid("body", "is required.");
        }
        if (!await MaySeeAlertsAsync(actor, ct))
        {
            return Result<LedgerEntryView>.Forbidden("Only the registrant or someone this clinic allows to resolve discrepancies can resolve one.");
        }
        return await AppendAsync(actor, s => Task.FromResult(new Prepared(new RecordDiscrepancyResolution(
            new DiscrepancyRef(request.CountSequence, request.Index), request.Reason ?? string.Empty, actor.UserId),
            MapField: f => f == "discrepancy" ? "index" : f)), ct);
    }

    // ---------------------------------------------------------------- the write pipeline

    private sealed record Outcome(LedgerDecision? Decision, LedgerEntryView? View);

    private sealed record WriteScope(ClinicDbContext Db, LedgerReferenceData Reference, DateTimeOffset Now, DateOnly Today);

    private sealed record Prepared(LedgerCommand? Command, Guid? PatientId = null, Func<string, string>? MapField = null, Result<LedgerEntryView>? Refusal = null)
    {
        public static Prepared Refuse(Result<LedgerEntryView> refusal) => new(null, Refusal: refusal);
    }

    private async Task<Result<LedgerEntryView>> AppendAsync(Actor actor, Func<WriteScope, Task<Prepared>> prepare, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var (result, entry) = await AppendWithinAsync(db, actor, prepare, ct);
        if (entry is null)
        {
            return result;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await book.AppliedAsync(entry);
        return result;
    }

    /// <summary>
    /// Decides and adds one entry inside the caller's transaction (audit head already held): the entry row, the chain
    /// head and its audit entry wait in the context for the caller's save and commit. Entry is null when refused.
    /// </summary>
    private async Task<(Result<LedgerEntryView> Result, LedgerEntry? Entry)> AppendWithinAsync(ClinicDbContext db, Actor actor, Func<WriteScope, Task<Prepared>> prepare, CancellationToken ct)
    {
        await LedgerRows.LockAsync(db, ct);
        // The clock is read once the lock is held, so entries are stored in time order.
        var now = clock.GetUtcNow();
        var today = clinic.Today(clock);
        var head = await db.LedgerChainHeads.AsNoTracking().SingleAsync(h => h.Id == 1, ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        var prepared = await prepare(new WriteScope(db, reference, now, today));
        if (prepared.Refusal is not null)
        {
            return (prepared.Refusal, null);
        }
        var people = await LedgerPeople.LoadAsync(db, ct);
        var context = new LedgerContext(now, today, actor.UserId, reference.Reference, rules.Settings);
        var outcome = await book.ReadAsync(db, view =>
        {
            if (view.State.LastSequence != head.LastSequence || !string.Equals(view.State.LastHash, head.LastHash, StringComparison.Ordinal))
            {
                return new Outcome(null, null);
            }
            var decision = ControlledSubstanceLedger.Decide(view.State, prepared.Command!, context);
            return new Outcome(decision, decision.Entry is { } e ? new LedgerDescriber(view, reference, people).View(e) : null);
        }, ct);
        if (outcome.Decision is null)
        {
            return (Result<LedgerEntryView>.Conflict("The stored ledger does not end where its chain head says; nothing was recorded. Run 'ketaclinic ledger verify'."), null);
        }
        if (!outcome.Decision.Accepted)
        {
            var map = prepared.MapField ?? (f => f);
            return (Result<LedgerEntryView>.Invalid([.. outcome.Decision.Errors.Select(e => e with { Field = map(e.Field) })]), null);
        }
        var entry = outcome.Decision.Entry!;
        db.LedgerEntries.Add(LedgerRows.ToRow(entry));
        await LedgerRows.AdvanceHeadAsync(db, entry, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, EntryRecord, entry.Sequence.ToString(CultureInfo.InvariantCulture), prepared.PatientId,
            new { kind = entry.Kind, entry.Sequence, entry.Hash, summary = outcome.View!.Summary }, ct);
        return (Result<LedgerEntryView>.Ok(outcome.View!), entry);
    }

    private static string MapContainerField(string field, List<int> lineOf)
    {
        var m = ContainerField().Match(field);
        if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k < lineOf.Count)
        {
            return $"lines[{lineOf[k].ToString(CultureInfo.InvariantCulture)}]{m.Groups[2].Value}";
        }
        return field == "containers" ? "lines" : field;
    }

    [GeneratedRegex(@"^containers\[(\d+)\](.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerField();

    internal static async Task<IReadOnlyList<string>?> RolesOfAsync(ClinicDbContext db, string userId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.IsActive, ct))
        {
            return null;
        }
        return await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!)
            .ToListAsync(ct);
    }

    /// <summary>Ledger alerts are for those allowed to resolve them and for the registrant of any registration.</summary>
    public async Task<bool> MaySeeAlertsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Can(actor, LedgerPermissions.Resolve))
        {
            return true;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeaRegistrations.AnyAsync(r => r.RegistrantUserId == actor.UserId, ct);
    }
}
