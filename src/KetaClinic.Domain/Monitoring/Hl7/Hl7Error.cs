using System.Globalization;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>HL7 table 0357 (message error condition codes), the values this system reports in ERR-3.</summary>
public enum Hl7ErrorCode
{
    MessageAccepted = 0,
    SegmentSequenceError = 100,
    RequiredFieldMissing = 101,
    DataTypeError = 102,
    TableValueNotFound = 103,
    UnsupportedMessageType = 200,
    UnsupportedEventCode = 201,
    UnsupportedProcessingId = 202,
    UnsupportedVersionId = 203,
    UnknownKeyIdentifier = 204,
    DuplicateKeyIdentifier = 205,
    ApplicationRecordLocked = 206,
    ApplicationInternalError = 207,
}

/// <summary>HL7 table 0516 (error severity), sent in ERR-4.</summary>
public enum Hl7ErrorSeverity
{
    Error,
    Warning,
    Information,
}

/// <summary>Where in a message a problem lies (the ERL data type of ERR-2). Positions are 1-based.</summary>
/// <param name="SegmentId">The segment's three-character id, for example OBX.</param>
/// <param name="SegmentSequence">The segment's position in the message, MSH being 1.</param>
public sealed record Hl7Location(
    string SegmentId,
    int SegmentSequence,
    int? Field = null,
    int? Repetition = null,
    int? Component = null,
    int? Subcomponent = null)
{
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{SegmentId} (segment {SegmentSequence})");
        if (Field is null)
        {
            return text;
        }

        text += string.Create(CultureInfo.InvariantCulture, $" {SegmentId}-{Field}");
        if (Repetition is > 1)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" repetition {Repetition}");
        }

        if (Component is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" component {Component}");
        }

        if (Subcomponent is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" subcomponent {Subcomponent}");
        }

        return text;
    }
}

/// <summary>A problem with a received message: the table 0357 code, a message a person can act on, and where.</summary>
public sealed record Hl7Error(
    Hl7ErrorCode Code,
    string Message,
    Hl7Location? Location = null,
    Hl7ErrorSeverity Severity = Hl7ErrorSeverity.Error)
{
    /// <summary>The table 0357 description of <paramref name="code"/>, as sent in ERR-3.2.</summary>
    public static string Describe(Hl7ErrorCode code) => code switch
    {
        Hl7ErrorCode.MessageAccepted => "Message accepted",
        Hl7ErrorCode.SegmentSequenceError => "Segment sequence error",
        Hl7ErrorCode.RequiredFieldMissing => "Required field missing",
        Hl7ErrorCode.DataTypeError => "Data type error",
        Hl7ErrorCode.TableValueNotFound => "Table value not found",
        Hl7ErrorCode.UnsupportedMessageType => "Unsupported message type",
        Hl7ErrorCode.UnsupportedEventCode => "Unsupported event code",
        Hl7ErrorCode.UnsupportedProcessingId => "Unsupported processing id",
        Hl7ErrorCode.UnsupportedVersionId => "Unsupported version id",
        Hl7ErrorCode.UnknownKeyIdentifier => "Unknown key identifier",
        Hl7ErrorCode.DuplicateKeyIdentifier => "Duplicate key identifier",
        Hl7ErrorCode.ApplicationRecordLocked => "Application record locked",
        Hl7ErrorCode.ApplicationInternalError => "Application internal error",
        _ => "Unknown error",
    };

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)Code} {Describe(Code)}: {Message}")
        + (Location is null ? string.Empty : $" at {Location}");
}
