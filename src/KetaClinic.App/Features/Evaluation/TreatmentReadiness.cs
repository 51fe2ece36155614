using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>
/// Whether a patient may start ketamine treatment by a route: a current eligibility decision, a current consent for
/// that route, and for esketamine the REMS patient enrolment (REFERENCE.md §6). The treatment-plan and session modules
/// call <see cref="CheckAsync(ClinicDbContext, Guid, string, DateOnly, CancellationToken)"/> before a course or a session starts.
/// </summary>
public sealed class TreatmentReadiness(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings clinic)
{
    public const string RecordType = "treatment-readiness";

    public const string NoEligibilityDecision = "no-eligibility-decision";
    public const string NotEligible = "not-eligible";
    public const string EligibilityExpired = "eligibility-expired";
    public const string NoConsent = "no-consent";
    public const string ConsentForOtherRoute = "consent-for-other-route";
    public const string ConsentNotCountersigned = "consent-not-countersigned";
    public const string RemsEnrolmentMissing = "rems-enrolment-missing";

    /// <summary>The routes a course can use (the measurement module's route codes).</summary>
    public static IReadOnlyList<string> TreatmentRoutes { get; } = ["iv", "im", "oral", "sublingual", "intranasal-esketamine"];

    /// <summary>
    /// The unmet gates for starting treatment by <paramref name="route"/> on <paramref name="today"/>, each with a message
    /// for staff; empty when treatment may start. Runs inside the caller's transaction, so a caller can check and start in one step.
    /// </summary>
    public async Task<IReadOnlyList<ReadinessGap>> CheckAsync(ClinicDbContext db, Guid patientId, string route, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var consentRoute = ConsentLibrary.ConsentRouteFor(route)
            ?? throw new ArgumentOutOfRangeException(nameof(route), route, $"Unknown route; use one of {string.Join(", ", TreatmentRoutes)}.");
        var gaps = new List<ReadinessGap>();

        var decision = await db.ClinicalEvaluations.AsNoTracking()
            .Where(e => e.PatientId == patientId && e.Status == "signed")
            .OrderByDescending(e => e.SignedAt).FirstOrDefaultAsync(ct);
        if (decision is null)
        {
            gaps.Add(new(NoEligibilityDecision, "No signed eligibility evaluation: a physician must evaluate the patient and sign off before treatment."));
        }
        else if (decision.FinalDecision != "eligible")
        {
            gaps.Add(new(NotEligible, $"The latest signed evaluation ({Date(decision.EvaluatedOn)}, {decision.SignedByName}) found the patient not eligible."));
        }
        else if (decision.ExpiresOn is not { } expires || today >= expires)
        {
            gaps.Add(new(EligibilityExpired,
                $"The eligibility decision of {Date(decision.EvaluatedOn)} expired on {(decision.ExpiresOn is { } e ? Date(e) : "?")}; renew it with a new evaluation before a new course."));
        }

        var consents = await db.Consents.AsNoTracking()
            .Where(c => c.PatientId == patientId && c.Status != "withdrawn")
            .ToListAsync(ct);
        var forRoute = consents.Where(c => c.Route == consentRoute).ToList();
        var routeName = ConsentLibrary.RouteName(consentRoute);
        if (forRoute.Any(c => c.Status == "active"))
        {
            return RemsGaps(gaps, consentRoute, forRoute);
        }
        if (forRoute.Count > 0)
        {
            gaps.Add(new(ConsentNotCountersigned, $"The patient signed the consent for {routeName}, but no clinician has countersigned it yet."));
        }
        else if (consents.FirstOrDefault(c => c.Status == "active") is { } other)
        {
            gaps.Add(new(ConsentForOtherRoute,
                $"The patient's consent covers {ConsentLibrary.RouteName(other.Route)}, not {routeName}: a consent for {routeName} must be signed before this treatment."));
        }
        else
        {
            gaps.Add(new(NoConsent, $"No current informed consent for {routeName}: the patient must sign it and a clinician countersign it before treatment."));
        }

        return RemsGaps(gaps, consentRoute, forRoute);
    }

    private static List<ReadinessGap> RemsGaps(List<ReadinessGap> gaps, string consentRoute, List<ConsentRecord> forRoute)
    {
        if (consentRoute == ConsentLibrary.IntranasalEsketamine && !forRoute.Any(c => c.Status == "active" && c.RemsEnrolmentId is not null))
        {
            gaps.Add(new(RemsEnrolmentMissing,
                "Esketamine needs the patient's REMS enrolment before the first dose (REFERENCE.md §6): record the enrolment id and date on the esketamine consent."));
        }
        return gaps;
    }

    /// <summary>The same check for staff, audited as a read of the patient's record.</summary>
    public async Task<Result<ReadinessView>> ForPatientAsync(Guid patientId, string? route, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsRead))
        {
            return Result<ReadinessView>.Forbidden();
        }
        var code = route?.Trim().ToLowerInvariant();
        if (code is null || !TreatmentRoutes.Contains(code))
        {
            return Result<ReadinessView>.Invalid("route", $"must be one of {string.Join(", ", TreatmentRoutes)}.");
        }
        var today = clinic.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Result<ReadinessView>.NotFound($"No patient with id {patientId}.");
        }
        var gaps = await CheckAsync(db, patientId, code, today, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, null, patientId, new { route = code, gaps = gaps.Select(g => g.Code) }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ReadinessView>.Ok(new ReadinessView(patientId, code, today, gaps));
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
