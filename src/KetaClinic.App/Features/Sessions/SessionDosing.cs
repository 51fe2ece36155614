using KetaClinic.App.Data;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

public sealed partial class Sessions
{
    /// <summary>
    /// Completes dosing with its record. The record is checked by the domain first; then, when a ledger draw is named,
    /// the administration goes to the controlled-substance ledger and the record is stored with the ledger entry's
    /// number, in one transaction: a refusal by either stores nothing in both.
    /// </summary>
    public async Task<Result<SessionView>> CompleteDosingAsync(Guid sessionId, DosingRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.SessionsWrite))
        {
            return Result<SessionView>.Forbidden();
        }

        if (request is null)
        {
            return Result<SessionView>.Invalid("body", "is required.");
        }

        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        DosingPayload payload;
        AdministeredDose dose;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
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

            var built = await PayloadAsync(db, loaded, request, actor, now, ct);
            if (built.Errors.Count > 0)
            {
                return Result<SessionView>.Invalid(built.Errors);
            }

            payload = built.Payload!;
            try
            {
                // A dry run on the rebuilt session: the domain's refusal comes before anything is written anywhere.
                var record = log.BuildRecord(loaded.Session, loaded.Plan.Protocol, payload);
                loaded.Session.CompleteDosing(record, await ByAsync(db, actor, ct), now);
                dose = record.ToAdministeredDose();
            }
            catch (SessionTransitionException ex)
            {
                return Result<SessionView>.Conflict(ex.Message);
            }
            catch (DomainValidationException ex)
            {
                return Result<SessionView>.Invalid(ex.Errors);
            }
        }

        // The ledger entry and the dosing record go in one transaction: both are stored, or neither.
        Func<Task> afterCommit = () => Task.CompletedTask;
        var result = await CommandAsync(sessionId, actor, async (db, loaded, at) =>
        {
            long? ledgerSequence = null;
            if (payload.LedgerDrawSequence is { } draw)
            {
                var write = await ledger.RecordAdministrationWithinAsync(db, new AdministrationFromSession(dose.SessionId, dose.PatientId, draw, dose.DosingRecordId,
                    AmountOf(dose), dose.AdministeredBy.UserId, dose.At), actor, ct);
                var entry = write.Result;
                if (!entry.IsOk)
                {
                    throw new CommandRefusedException(entry.Status switch
                    {
                        ResultStatus.Invalid => Result<SessionView>.Invalid([.. entry.Errors.Select(e => new FieldError("ledger." + e.Field, e.Message))]),
                        ResultStatus.Forbidden => Result<SessionView>.Forbidden("The controlled-substance ledger does not allow you to record this administration."),
                        _ => Result<SessionView>.Conflict("The controlled-substance ledger refused the administration: " + entry.Message),
                    });
                }

                ledgerSequence = entry.Value!.Sequence;
                afterCommit = write.AfterCommit;
            }

            return (SessionEventKinds.CompleteDosing, payload with { LedgerEntrySequence = ledgerSequence });
        }, ct);
        if (result.IsOk)
        {
            await afterCommit();
        }

        return result;
    }

    private static MeasuredAmount AmountOf(AdministeredDose dose) => MeasuredAmount.Milligrams(dose.Amount.Value);

    /// <summary>The dose to give now: the planned order through the dose calculator with the latest weight.</summary>
    internal async Task<DoseCalculation> CalculateAsync(ClinicDbContext db, LoadedSession loaded, DateTimeOffset now, CancellationToken ct)
    {
        var patient = await db.Patients.Include(p => p.Measurements).AsNoTracking().SingleAsync(p => p.Id == loaded.Row.PatientId, ct);
        var weight = patient.LatestWeight is { } w ? new RecordedWeight(w.Weight, w.MeasuredAt) : null;
        return DoseCalculator.Calculate(new DoseRequest(loaded.Plan.Protocol, loaded.Plan.Dose, weight, await SessionNumberAsync(db, loaded, ct), now), Settings.Dosing);
    }

    private static async Task<int> SessionNumberAsync(ClinicDbContext db, LoadedSession loaded, CancellationToken ct) =>
        1 + await db.TreatmentSessions.AsNoTracking().CountAsync(s => s.CourseId == loaded.Row.CourseId && s.Id != loaded.Row.Id
            && s.ScheduledStart < loaded.Row.ScheduledStart && (s.Status == "completed" || s.Status == "stopped-early"), ct);

    private static async Task<(DosingPayload? Payload, IReadOnlyList<FieldError> Errors)> PayloadAsync(
        ClinicDbContext db, LoadedSession loaded, DosingRequest r, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var v = new Validator();
        if (r.GivenDoseMg is null)
        {
            v.Add("givenDoseMg", "is required.");
        }

        if (r.StartedAt is null)
        {
            v.Add("startedAt", "is required.");
        }

        if (r.EndedAt is null)
        {
            v.Add("endedAt", "is required.");
        }

        var lot = v.Text("lot", r.Lot, 100, required: true);
        string? productName = null;
        if (r.ProductId is not { } productId)
        {
            v.Add("productId", "is required: the controlled product given, from the ledger's products.");
        }
        else
        {
            productName = await db.ControlledProducts.AsNoTracking().Where(p => p.Id == productId).Select(p => p.Drug + " " + p.Form + " NDC " + p.Ndc).SingleOrDefaultAsync(ct);
            if (productName is null)
            {
                v.Add("productId", "is not a product in the controlled-substance ledger.");
            }
        }

        var by = await ByAsync(db, actor, ct);
        var prepared = string.IsNullOrWhiteSpace(r.PreparedByUserId) || r.PreparedByUserId == actor.UserId ? by : await UserAsync(db, "preparedByUserId", r.PreparedByUserId, v, ct);
        CalculationCheck? check = null;
        if (!string.IsNullOrWhiteSpace(r.SecondCheckUserId))
        {
            var checker = await UserAsync(db, "secondCheckUserId", r.SecondCheckUserId, v, ct);
            if (checker is not null)
            {
                check = new CalculationCheck(checker, r.SecondCheckAt ?? r.StartedAt ?? now);
            }
        }

        if (!v.IsValid)
        {
            return (null, v.Errors);
        }

        var patient = await db.Patients.Include(p => p.Measurements).AsNoTracking().SingleAsync(p => p.Id == loaded.Row.PatientId, ct);
        var weight = patient.LatestWeight is { } w ? new RecordedWeight(w.Weight, w.MeasuredAt) : null;
        var start = r.StartedAt!.Value;
        return (new DosingPayload(Guid.CreateVersion7(now), loaded.Plan.Dose, weight, await SessionNumberAsync(db, loaded, ct), start,
            r.GivenDoseMg!.Value, r.DoseDifferenceReason, r.Site, start, r.EndedAt!.Value, r.DurationDifferenceReason, r.InfusionVolumeMl,
            r.DeviceTimes, new DrugProduct(r.ProductId ?? Guid.Empty, productName!, lot!), prepared!, by, check, r.LedgerDrawSequence, null), []);
    }

    private static async Task<SessionActor?> UserAsync(ClinicDbContext db, string field, string userId, Validator v, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive).Select(u => new { u.Id, u.DisplayName }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            v.Add(field, "is not an active user of this clinic.");
            return null;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, x => x.Id, (ur, x) => x.Name!).ToListAsync(ct);
        return SessionLog.ActorOf(new Actor(user.Id, user.DisplayName, roles, null));
    }
}
