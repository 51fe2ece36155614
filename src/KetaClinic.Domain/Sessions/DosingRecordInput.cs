using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>A second person's confirmation of the dose calculation, made before the dose is given.</summary>
public sealed record CalculationCheck(SessionActor By, DateTimeOffset At);

/// <summary>What the nurse records about the dose; <see cref="DosingRecord.Create"/> checks it.</summary>
public sealed record DosingRecordInput
{
    public required Guid Id { get; init; }

    public required Guid SessionId { get; init; }

    public required Guid PatientId { get; init; }

    /// <summary>The calculation from the plan (<see cref="DoseCalculator"/>); it must have no hard stop.</summary>
    public required DoseCalculation Calculation { get; init; }

    public required DoseMg GivenDose { get; init; }

    /// <summary>Required when the dose given differs from the calculated dose.</summary>
    public string? DoseDifferenceReason { get; init; }

    public required AdministrationRoute Route { get; init; }

    /// <summary>Intramuscular: a site code from the settings (e.g. "deltoid-left"); intravenous: the access site in words.</summary>
    public string? Site { get; init; }

    /// <summary>Start of the infusion or injection; for devices, the first device.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>End of the infusion or injection; for devices, the last device.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Required when an infusion's length is outside the protocol's time by more than the tolerance.</summary>
    public string? DurationDifferenceReason { get; init; }

    /// <summary>Intravenous: the volume infused; the mL/h and mg/min rates are derived from it and the times.</summary>
    public decimal? InfusionVolumeMl { get; init; }

    /// <summary>Devices (intranasal esketamine): when each device was used, in order.</summary>
    public IReadOnlyList<DateTimeOffset>? DeviceTimes { get; init; }

    public required DrugProduct Product { get; init; }

    public required SessionActor PreparedBy { get; init; }

    public required SessionActor AdministeredBy { get; init; }

    /// <summary>The second person's confirmation of the calculation, when the clinic requires one for the route.</summary>
    public CalculationCheck? SecondCheck { get; init; }
}
