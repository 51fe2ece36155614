using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// Fills the REMS Patient Monitoring Form from a session (REFERENCE.md §6): dose and lot from the dosing record; BP
/// before dosing (latest at or before the first device), at about 40 minutes (within the schedule's tolerance) and
/// before completion (within the window before the end of monitoring); total minutes from the first device to the end
/// of monitoring (discharge or stop); vitals acceptable before dosing (the blood pressure and vitals checks met, not
/// overridden) and at completion (the discharge vitals criterion); sedation, dissociation and serious adverse events
/// from the side effects once the session is closed. Everything it cannot fill is listed as missing.
/// </summary>
public static class RemsMonitoringFormBuilder
{
    public static RemsFormDraft Build(TreatmentSession session, RemsPatientFacts patient, RemsSiteFacts site, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(settings);
        if (!session.Protocol.RemsRequired.Value)
        {
            throw new ArgumentException($"The REMS form applies to esketamine sessions; {session.Protocol.Name} is not under the REMS.", nameof(session));
        }

        var record = session.DosingRecord;
        var firstDevice = record is { DeviceTimes.Count: > 0 } ? record.DeviceTimes[0] : session.DoseStartedAt;
        DateTimeOffset? endOfMonitoring = session.State is SessionState.Discharged or SessionState.StoppedEarly ? session.StateSince : null;
        var closed = endOfMonitoring is not null;
        var vitals = session.Vitals;
        var medications = patient.Medications ?? session.PreDoseFacts?.Medications?.Medications;
        var summary = medications is null ? null : ConcomitantMedicationSummary.Of(medications, settings.Medications);
        var sideEffects = session.SideEffects.Select(s => s.Entry).ToList();
        var atCompletion = session.DischargeDecision ?? (endOfMonitoring is { } end ? session.EvaluateDischarge(end, settings) : null);

        var form = new RemsMonitoringForm
        {
            PatientName = Clean(patient.PatientName),
            DateOfBirth = patient.DateOfBirth,
            Sex = patient.Sex,
            FirstTreatment = patient.FirstTreatment,
            Enrolled = patient.Enrolled ?? session.PreDoseFacts?.RemsEnrolled,
            Benzodiazepines = summary?.Benzodiazepines,
            NonBenzodiazepineSedativeHypnotics = summary?.NonBenzodiazepineSedativeHypnotics,
            Psychostimulants = summary?.Psychostimulants,
            Maois = summary?.Maois,
            Opioids = summary?.Opioids,
            MonitoringClinicianName = Clean(site.MonitoringClinicianName),
            MonitoringClinicianPhone = Clean(site.MonitoringClinicianPhone),
            MonitoringClinicianEmail = Clean(site.MonitoringClinicianEmail),
            SettingName = Clean(site.SettingName),
            SettingAddress = Clean(site.SettingAddress),
            TreatmentDate = firstDevice is { } f ? SessionText.DateOf(f) : null,
            Dose = record is null ? null : record.GivenDose.Value switch { 56m => RemsDoseChoice.Mg56, 84m => RemsDoseChoice.Mg84, _ => RemsDoseChoice.Other },
            DoseMg = record?.GivenDose.Value,
            Lot = record?.Product.Lot,
            TotalMinutesFirstDeviceToEndOfMonitoring = firstDevice is { } s && endOfMonitoring is { } e ? (int)Math.Floor((e - s).TotalMinutes) : null,
            ReadyToLeaveWithoutTwoHourRuleMinutes = firstDevice is { } s2 && session.DischargeAssessment?.ReadyToLeaveWithoutTwoHourRuleAt is { } r
                ? (int)Math.Floor((r - s2).TotalMinutes)
                : null,
            VitalsAcceptableBeforeDosing = session.ChecklistAtDosing is { } checklist
                ? checklist[PreDoseGate.BloodPressure].Status == GateStatus.Met && checklist[PreDoseGate.VitalsTaken].Status == GateStatus.Met
                : null,
            VitalsAcceptableAtCompletion = atCompletion?.Criteria.FirstOrDefault(c => c.Criterion == DischargeCriterion.VitalsWithinLimits)?.Status is { } status
                ? status == CriterionStatus.Met
                : null,
            BloodPressureBeforeDosing = firstDevice is { } b ? BloodPressureReading.LatestFrom(vitals.Where(v => v.ObservedAt <= b)) : null,
            BloodPressureAt40Minutes = firstDevice is { } b40 ? At40Minutes(session, b40, settings) : null,
            BloodPressureBeforeCompletion = endOfMonitoring is { } c
                ? BloodPressureReading.LatestFrom(vitals.Where(v => v.ObservedAt <= c && v.ObservedAt >= c.AddMinutes(-settings.Monitoring.BeforeCompletionWindowMinutes.Value)))
                : null,
            Sedation = closed ? sideEffects.Any(x => x.Kind == SideEffectKind.Sedation) : null,
            Dissociation = closed ? sideEffects.Any(x => x.Kind == SideEffectKind.Dissociation) : null,
            SeriousAdverseEvents = closed ? sideEffects.Any(x => x.SeriousAdverseEvent) : null,
            SeriousAdverseEventNotes = [.. sideEffects.Where(x => x.SeriousAdverseEvent).Select(Note)],
        };

        var dueOn = RemsDeadline.DueOn(form.TreatmentDate ?? SessionText.DateOf(session.ScheduledFor), settings.Rems);
        return new RemsFormDraft(form, Missing(form), dueOn);
    }

    private static BloodPressureReading? At40Minutes(TreatmentSession session, DateTimeOffset firstDevice, SessionSettings settings)
    {
        var due = firstDevice.AddMinutes(session.Protocol.Timing.VitalsIntervalMinutes.Value);
        var tolerance = TimeSpan.FromMinutes(settings.Monitoring.FixedCheckToleranceMinutes.Value);
        return BloodPressureReading.LatestFrom(session.Vitals.Where(v => v.ObservedAt >= due - tolerance && v.ObservedAt <= due + tolerance));
    }

    private static string Note(SideEffectEntry entry) =>
        $"{SideEffect.Code(entry.Kind)} ({entry.Severity.ToString().ToLowerInvariant()}) at {SessionText.DateTime(entry.ObservedAt)}"
        + (string.IsNullOrWhiteSpace(entry.Description) ? string.Empty : $": {entry.Description.Trim()}")
        + (string.IsNullOrWhiteSpace(entry.ActionTaken) ? string.Empty : $"; action: {entry.ActionTaken.Trim()}");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The form's fields still empty, by their camelCase names.</summary>
    public static IReadOnlyList<string> MissingFields(RemsMonitoringForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Missing(form);
    }

    private static List<string> Missing(RemsMonitoringForm f)
    {
        var missing = new List<string>();
        Need(f.PatientName, "patientName");
        Need(f.DateOfBirth, "dateOfBirth");
        Need(f.Sex, "sex");
        Need(f.FirstTreatment, "firstTreatment");
        Need(f.Enrolled, "enrolled");
        Need(f.Benzodiazepines, "benzodiazepines");
        Need(f.NonBenzodiazepineSedativeHypnotics, "nonBenzodiazepineSedativeHypnotics");
        Need(f.Psychostimulants, "psychostimulants");
        Need(f.Maois, "maois");
        Need(f.Opioids, "opioids");
        Need(f.MonitoringClinicianName, "monitoringClinicianName");
        Need(f.MonitoringClinicianPhone, "monitoringClinicianPhone");
        Need(f.MonitoringClinicianEmail, "monitoringClinicianEmail");
        Need(f.SettingName, "settingName");
        Need(f.SettingAddress, "settingAddress");
        Need(f.TreatmentDate, "treatmentDate");
        Need(f.Dose, "dose");
        Need(f.Lot, "lot");
        Need(f.TotalMinutesFirstDeviceToEndOfMonitoring, "totalMinutesFirstDeviceToEndOfMonitoring");
        Need(f.ReadyToLeaveWithoutTwoHourRuleMinutes, "readyToLeaveWithoutTwoHourRuleMinutes");
        Need(f.VitalsAcceptableBeforeDosing, "vitalsAcceptableBeforeDosing");
        Need(f.VitalsAcceptableAtCompletion, "vitalsAcceptableAtCompletion");
        Need(f.BloodPressureBeforeDosing, "bloodPressureBeforeDosing");
        Need(f.BloodPressureAt40Minutes, "bloodPressureAt40Minutes");
        Need(f.BloodPressureBeforeCompletion, "bloodPressureBeforeCompletion");
        Need(f.Sedation, "sedation");
        Need(f.Dissociation, "dissociation");
        Need(f.SeriousAdverseEvents, "seriousAdverseEvents");
        return missing;

        void Need(object? value, string field)
        {
            if (value is null)
            {
                missing.Add(field);
            }
        }
    }
}
