using KetaClinic.App.Data;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Measurement;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Patients;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

/// <summary>
/// Loads <see cref="PreDoseFacts"/> for a session from what the clinic recorded: consent and eligibility
/// (evaluation), scales (measurement), weight and companion (patient record), open safety alerts, the dose order
/// (<see cref="Plans.IPlannedDoses"/>) and what the nurse recorded at the chair (fasting, companion confirmed,
/// pregnancy, medication review). Anything not recorded stays null, and missing information never meets a gate.
/// </summary>
public sealed class PreDoseFactsLoader(MeasurementSettings measurement, SessionSettings settings)
{
    public async Task<PreDoseFacts> LoadAsync(ClinicDbContext db, LoadedSession loaded, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(loaded);
        var patientId = loaded.Row.PatientId;
        var course = await db.TreatmentCourses.AsNoTracking().SingleAsync(c => c.Id == loaded.Row.CourseId, ct);
        var consentRoute = ConsentLibrary.ConsentRouteFor(course.Route);
        var consents = await db.Consents.AsNoTracking().Where(c => c.PatientId == patientId && c.Route == consentRoute).ToListAsync(ct);
        var consent = consents.Where(c => c.Status == "active").OrderByDescending(c => c.PatientSignedAt).FirstOrDefault();
        var evaluation = await db.ClinicalEvaluations.AsNoTracking()
            .Where(e => e.PatientId == patientId && e.Status == "signed").OrderByDescending(e => e.SignedAt).FirstOrDefaultAsync(ct);
        var since = now.AddHours(-settings.PreDose.VisitWindowHours.Value);
        var completed = await db.InstrumentResponses.AsNoTracking()
            .Where(r => r.PatientId == patientId && r.TakenAt >= since)
            .Select(r => new { r.InstrumentId, r.TakenAt }).ToListAsync(ct);
        var patient = await db.Patients.Include(p => p.Measurements).AsNoTracking().SingleAsync(p => p.Id == patientId, ct);
        var openAlerts = await db.SafetyAlerts.AsNoTracking().CountAsync(a => a.PatientId == patientId && a.AcknowledgedAt == null, ct);
        var chair = loaded.Facts;
        var protocol = loaded.Plan.Protocol;
        return new PreDoseFacts
        {
            Consent = consent is null ? null : new ConsentStatus([protocol.Route], consent.PatientSignedAt, null, consent.WithdrawnAt),
            Eligibility = evaluation is null ? null : new EligibilityStatus(
                evaluation.FinalDecision switch
                {
                    "eligible" => EligibilityDecision.Eligible,
                    "not-eligible" => EligibilityDecision.NotEligible,
                    _ => EligibilityDecision.NeedsReview,
                },
                evaluation.EvaluatedOn, evaluation.ExpiresOn ?? evaluation.EvaluatedOn),
            RemsEnrolled = consentRoute == ConsentLibrary.IntranasalEsketamine ? consent?.RemsEnrolmentId is not null : null,
            RequiredInstrumentIds = [.. measurement.InstrumentsForRoute(course.Route).Distinct(StringComparer.Ordinal)],
            CompletedInstruments = [.. completed.Select(c => new CompletedInstrument(c.InstrumentId, c.TakenAt))],
            LastFoodAt = chair.LastFoodAt,
            LastDrinkAt = chair.LastDrinkAt,
            Companion = chair.CompanionName is { } name && chair.CompanionPhone is { } phone ? new CompanionConfirmation(name, phone) : null,
            CanBecomePregnant = chair.CanBecomePregnant ?? (patient.Sex == AdministrativeSex.Male ? false : null),
            Pregnancy = chair.PregnancyResult is { } result && chair.PregnancyTestedAt is { } tested ? new PregnancyStatus(result, tested) : null,
            Medications = chair.MedicationsReviewed ? new MedicationListReview(chair.Medications ?? [], chair.ReviewedBy, chair.ReviewedAt) : null,
            LatestWeight = patient.LatestWeight is { } w ? new RecordedWeight(w.Weight, w.MeasuredAt) : null,
            OrderedDose = loaded.Plan.Dose,
            OpenSafetyAlerts = openAlerts,
        };
    }
}
