using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Scheduling;

// All dates and times here are the clinic's local wall-clock time.

/// <summary>A time window on one weekday (opening hours, or when a patient can come); <see cref="From"/> before <see cref="To"/>.</summary>
public sealed record WeeklyWindow(DayOfWeek Day, TimeOnly From, TimeOnly To);

/// <summary>A treatment chair and its equipment codes, e.g. "infusion-pump", "vital-signs-monitor".</summary>
public sealed record Chair(string Id, IReadOnlyCollection<string> Equipment);

/// <summary>A chair out of service on one day between two times.</summary>
public sealed record ChairClosure(string ChairId, DateOnly Day, TimeOnly From, TimeOnly To);

/// <summary>A nurse on shift on one day between two times.</summary>
public sealed record NurseShift(string NurseId, DateOnly Day, TimeOnly Start, TimeOnly End);

/// <summary>A booked appointment; the chair is occupied from <see cref="Start"/> to <see cref="End"/> (chair time and recovery).</summary>
public sealed record Appointment(
    string Id, string PatientId, string ChairId, DateOnly Day, TimeOnly Start, TimeOnly End, string? SeriesId = null, int? SessionNumber = null);

/// <summary>Everything about the clinic that booking needs to know.</summary>
/// <param name="OpeningHours">Opening windows per weekday; a weekday without one is closed. Several windows a day are allowed.</param>
/// <param name="Closures">Whole days the clinic is closed (holidays).</param>
/// <param name="Chairs">Chairs in order of preference: the first free suitable chair is proposed.</param>
/// <param name="ChairClosures">Chairs out of service for part of a day.</param>
/// <param name="NurseShifts">Nurses on shift; a minute with n nurses allows n × chairs-per-nurse occupied chairs.</param>
/// <param name="Appointments">Existing bookings.</param>
public sealed record ClinicCalendar(
    IReadOnlyList<WeeklyWindow> OpeningHours,
    IReadOnlyCollection<DateOnly> Closures,
    IReadOnlyList<Chair> Chairs,
    IReadOnlyList<ChairClosure> ChairClosures,
    IReadOnlyList<NurseShift> NurseShifts,
    IReadOnlyList<Appointment> Appointments);

/// <summary>When a patient can come: weekly windows, less specific dates.</summary>
public sealed record PatientAvailability(IReadOnlyList<WeeklyWindow> Windows, IReadOnlyCollection<DateOnly> UnavailableDates);

/// <summary>Clinic settings of booking. Every value carries its source.</summary>
public sealed record SchedulingSettings
{
    /// <summary>Appointments start on multiples of this many minutes after midnight.</summary>
    public SourcedSetting<int> SlotMinutes { get; init; } = new(15, "clinic policy: appointment start times every 15 minutes");

    /// <summary>How many occupied chairs one nurse on shift may cover: nurses on shift × this ≥ occupied chairs.</summary>
    public SourcedSetting<int> ChairsPerNurse { get; init; } = new(
        3,
        "clinic policy [open]: one nurse per three occupied chairs; REFERENCE.md §5 asks for continuous monitoring during treatment");

    public static SchedulingSettings Default { get; } = new();
}

/// <summary>What a series needs, whoever books it: its rules, the appointment length, the chair equipment, the patient.</summary>
/// <param name="SeriesId">Identifies the series; appointment ids are derived from it.</param>
/// <param name="PatientId">The patient; their other appointments must not overlap.</param>
/// <param name="Rules">Session count, spacing, weekly limit and window.</param>
/// <param name="AppointmentMinutes">Chair time plus recovery.</param>
/// <param name="RequiredEquipment">Equipment every session's chair must have.</param>
/// <param name="Availability">When the patient can come.</param>
public sealed record SeriesPlan(
    string SeriesId,
    string PatientId,
    SeriesRules Rules,
    int AppointmentMinutes,
    IReadOnlyCollection<string> RequiredEquipment,
    PatientAvailability Availability)
{
    /// <summary>The plan of one series phase of a protocol (e.g. IV induction: 6 sessions of 90 minutes on a pump chair).</summary>
    public static SeriesPlan ForProtocol(
        string seriesId, string patientId, TreatmentProtocol protocol, string phaseId, PatientAvailability availability)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var phase = protocol.Series(phaseId);
        return new SeriesPlan(
            seriesId, patientId, phase.Rules, protocol.Timing.AppointmentMinutes, protocol.RequiredEquipment.Value, availability);
    }
}

/// <summary>Book a whole series with every session between <see cref="EarliestDay"/> and <see cref="LatestDay"/>.</summary>
public sealed record SeriesRequest(SeriesPlan Plan, DateOnly EarliestDay, DateOnly LatestDay);

/// <summary>The constraint that made a series impossible, from the most basic to the most specific.</summary>
public enum SeriesConstraint
{
    /// <summary>Spacing, weekly limit, window and the search period (or the kept appointments) leave no sequence of days.</summary>
    SeriesRules,

    ClinicHours,
    PatientHours,

    /// <summary>No working chair with the required equipment.</summary>
    Equipment,

    /// <summary>The patient has another appointment.</summary>
    PatientBusy,

    /// <summary>Every suitable chair is booked.</summary>
    ChairFree,

    /// <summary>Not enough nurses on shift for one more occupied chair.</summary>
    NurseRatio,
}

/// <summary>A proposed series (appointments in session order), or why none fits.</summary>
public sealed record SeriesProposal(IReadOnlyList<Appointment> Appointments, SeriesConstraint? FailedConstraint, string Explanation)
{
    public bool Found => FailedConstraint is null;
}
