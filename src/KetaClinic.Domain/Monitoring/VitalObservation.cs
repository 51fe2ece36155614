using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Monitoring;

/// <summary>A vital sign accepted from a monitor: checked unit, plausible value, known time and device.</summary>
/// <param name="Kind">What was measured.</param>
/// <param name="Value">The value in the kind's stored unit (converted when the device sent another unit).</param>
/// <param name="ObservedAt">OBX-14, or OBR-7 when OBX-14 is empty.</param>
/// <param name="Device">Who sent it.</param>
/// <param name="ObservationCode">OBX-3 as sent (code^text^coding system), for audit.</param>
/// <param name="ResultStatus">OBX-11 (table 0085): C marks a correction of an earlier value.</param>
/// <param name="ReportedPatientId">PID-3 of the enclosing patient group, as the device knows it; null when empty.</param>
public sealed record VitalObservation(
    VitalKind Kind,
    VitalValue Value,
    DateTimeOffset ObservedAt,
    DeviceIdentity Device,
    string ObservationCode,
    string ResultStatus,
    string? ReportedPatientId)
{
    /// <summary>The LOINC codes of <see cref="Kind"/> (REFERENCE.md §1).</summary>
    public IReadOnlyList<string> LoincCodes => VitalSigns.LoincCodes(Kind);
}

/// <summary>Why an OBX did not become a vital sign.</summary>
public enum ObservationRejectionReason
{
    /// <summary>OBX-3 is not in the code map (a parameter this system does not track, such as ST segments or device info).</summary>
    NotAVitalSign,
    MissingResultStatus,
    ResultStatusNotAccepted,
    UnsupportedValueType,
    MissingValue,
    NotANumber,
    MissingUnit,
    UnitNotAccepted,
    OutsidePlausibleRange,
    SystolicNotAboveDiastolic,
    MissingObservationTime,
    InvalidObservationTime,
    ObservationTimeInFuture,

    /// <summary>The same kind, device, time and value already came in an earlier OBX of this message (for example the second SpO2 LOINC).</summary>
    Duplicate,
}

/// <summary>An OBX that was not stored, with the reason and where it is.</summary>
public sealed record RejectedObservation(
    Hl7Location Location,
    string ObservationCode,
    VitalKind? Kind,
    ObservationRejectionReason Reason,
    string Message)
{
    /// <summary>This rejection as a warning for the ACK's ERR segments (the message itself was accepted).</summary>
    public Hl7Error ToAckWarning() => new(
        Reason switch
        {
            ObservationRejectionReason.MissingResultStatus or ObservationRejectionReason.MissingValue
                or ObservationRejectionReason.MissingUnit or ObservationRejectionReason.MissingObservationTime
                => Hl7ErrorCode.RequiredFieldMissing,
            ObservationRejectionReason.ResultStatusNotAccepted => Hl7ErrorCode.TableValueNotFound,
            _ => Hl7ErrorCode.DataTypeError,
        },
        Message,
        Location,
        Hl7ErrorSeverity.Warning);
}

/// <summary>
/// What an ORU^R01 yielded. <see cref="Failure"/> is set when the message as a whole cannot be used (wrong type,
/// segment order); then both lists are empty. <see cref="ControlId"/> (MSH-10) serves duplicate detection.
/// </summary>
public sealed record OruVitalsResult(
    string ControlId,
    Hl7Error? Failure,
    IReadOnlyList<VitalObservation> Accepted,
    IReadOnlyList<RejectedObservation> Rejected);
