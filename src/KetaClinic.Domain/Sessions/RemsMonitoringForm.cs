using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Patients;

namespace KetaClinic.Domain.Sessions;

/// <summary>Patient facts the REMS form asks for, from the patient record and the course.</summary>
public sealed record RemsPatientFacts(
    string? PatientName,
    DateOnly? DateOfBirth,
    AdministrativeSex? Sex,
    bool? FirstTreatment,
    bool? Enrolled,
    IReadOnlyList<CurrentMedication>? Medications);

/// <summary>The certified setting and the monitoring clinician, from the clinic's settings.</summary>
public sealed record RemsSiteFacts(
    string? SettingName,
    string? SettingAddress,
    string? MonitoringClinicianName,
    string? MonitoringClinicianPhone,
    string? MonitoringClinicianEmail);

public enum RemsDoseChoice
{
    Mg56,
    Mg84,
    Other,
}

/// <summary>
/// The esketamine REMS Patient Monitoring Form (REFERENCE.md §6 [firm] lists its fields). A null field is missing
/// and named in <see cref="RemsFormDraft.MissingFields"/>. Minutes count from the first device.
/// </summary>
public sealed record RemsMonitoringForm
{
    public string? PatientName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public AdministrativeSex? Sex { get; init; }
    public bool? FirstTreatment { get; init; }
    public bool? Enrolled { get; init; }
    public bool? Benzodiazepines { get; init; }
    public bool? NonBenzodiazepineSedativeHypnotics { get; init; }
    public bool? Psychostimulants { get; init; }
    public bool? Maois { get; init; }
    public bool? Opioids { get; init; }
    public string? MonitoringClinicianName { get; init; }
    public string? MonitoringClinicianPhone { get; init; }
    public string? MonitoringClinicianEmail { get; init; }
    public string? SettingName { get; init; }
    public string? SettingAddress { get; init; }
    public DateOnly? TreatmentDate { get; init; }
    public RemsDoseChoice? Dose { get; init; }

    /// <summary>The dose in mg, always filled with the dose (the form's "other" needs the number).</summary>
    public decimal? DoseMg { get; init; }

    public string? Lot { get; init; }
    public int? TotalMinutesFirstDeviceToEndOfMonitoring { get; init; }
    public int? ReadyToLeaveWithoutTwoHourRuleMinutes { get; init; }
    public bool? VitalsAcceptableBeforeDosing { get; init; }
    public bool? VitalsAcceptableAtCompletion { get; init; }
    public BloodPressureReading? BloodPressureBeforeDosing { get; init; }
    public BloodPressureReading? BloodPressureAt40Minutes { get; init; }
    public BloodPressureReading? BloodPressureBeforeCompletion { get; init; }
    public bool? Sedation { get; init; }
    public bool? Dissociation { get; init; }
    public bool? SeriousAdverseEvents { get; init; }

    /// <summary>One line per serious adverse event, for the form's description.</summary>
    public IReadOnlyList<string> SeriousAdverseEventNotes { get; init; } = [];
}

/// <summary>The form as far as the session fills it, the fields still missing, and the day it is due.</summary>
public sealed record RemsFormDraft(RemsMonitoringForm Form, IReadOnlyList<string> MissingFields, DateOnly DueOn)
{
    public bool IsComplete => MissingFields.Count == 0;
}
