namespace KetaClinic.App.Data;

/// <summary>
/// A bedside monitor known to the clinic and the chair it stands at. <see cref="DeviceKey"/> is how its messages
/// name it: <c>equipment:&lt;OBX-18&gt;</c>, <c>bed:&lt;PV1-3&gt;</c> or <c>sender:&lt;MSH-3&gt;|&lt;MSH-4&gt;</c>.
/// </summary>
public sealed class MonitorDevice
{
    public Guid Id { get; set; }
    public string DeviceKey { get; set; } = string.Empty;
    public Guid ChairId { get; set; }
    public string? Description { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One vital-sign value of a patient during a session, from a monitor or entered by hand.</summary>
public sealed class VitalSignRecord
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid? SessionId { get; set; }
    public Guid? ChairId { get; set; }

    /// <summary>heart-rate, systolic-blood-pressure, diastolic-blood-pressure, respiratory-rate, oxygen-saturation, body-temperature.</summary>
    public string Kind { get; set; } = string.Empty;
    public decimal Value { get; set; }

    /// <summary>UCUM unit of the stored value: mm[Hg], /min, %, Cel.</summary>
    public string Unit { get; set; } = string.Empty;
    public DateTimeOffset ObservedAt { get; set; }

    /// <summary>monitor or manual.</summary>
    public string Source { get; set; } = "manual";
    public string? DeviceKey { get; set; }
    public Guid? InboundMessageId { get; set; }

    /// <summary>OBX-11 result status (F, C, R) for monitor values; F for manual entries.</summary>
    public string ResultStatus { get; set; } = "F";
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedBy { get; set; } = string.Empty;
}

/// <summary>
/// Every HL7 v2 message received, with the answer given. The sender and control id are unique, so a message
/// sent twice (a monitor retrying after a lost ACK) is acknowledged again but stored once.
/// </summary>
public sealed class Hl7InboundMessage
{
    public Guid Id { get; set; }
    public string SendingApplication { get; set; } = string.Empty;
    public string SendingFacility { get; set; } = string.Empty;
    public string ControlId { get; set; } = string.Empty;
    public string MessageType { get; set; } = string.Empty;
    public DateTimeOffset ReceivedAt { get; set; }
    public string? RemoteAddress { get; set; }
    public string? DeviceKey { get; set; }

    /// <summary>AA, AE or AR: the acknowledgement sent.</summary>
    public string AckCode { get; set; } = string.Empty;
    public string? Error { get; set; }
    public int ObservationsStored { get; set; }
    public int ObservationsRejected { get; set; }
}

/// <summary>
/// The single row counting changes to what the HL7 intake reads for its batches (monitors, sessions at chairs, MRNs,
/// session steps not made by a monitor). Only database triggers move it (migration V14); the intake reads it with the
/// audit head and reads the rest again only when it has moved.
/// </summary>
public sealed class ChairStateVersion
{
    public int Id { get; set; }
    public long Version { get; set; }
}
