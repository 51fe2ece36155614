using System.Globalization;
using System.Text;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>MSA-1 acknowledgment codes of original-mode acknowledgment (HL7 table 0008).</summary>
public enum Hl7AckCode
{
    /// <summary>AA: accepted and processed.</summary>
    ApplicationAccept,

    /// <summary>AE: processing failed; the sender may correct and resend.</summary>
    ApplicationError,

    /// <summary>AR: rejected without processing (unreadable header, unsupported type, version or processing id).</summary>
    ApplicationReject,
}

/// <summary>What the caller supplies for an ACK: its own control id and time, and who we are when the original's MSH is unreadable.</summary>
/// <param name="ControlId">MSH-10 of the ACK itself.</param>
/// <param name="Timestamp">MSH-7 of the ACK, from the caller's TimeProvider.</param>
public sealed record Hl7AckOptions(string ControlId, DateTimeOffset Timestamp)
{
    /// <summary>MSH-3 of the ACK when the original did not name a receiving application.</summary>
    public Hl7HierarchicDesignator OwnApplication { get; init; } = new("KETACLINIC", string.Empty, string.Empty);

    /// <summary>MSH-4 of the ACK when the original did not name a receiving facility.</summary>
    public Hl7HierarchicDesignator OwnFacility { get; init; } = Hl7HierarchicDesignator.None;

    /// <summary>MSA-2 when the original control id could not be read at all.</summary>
    public string PlaceholderControlId { get; init; } = "UNKNOWN";

    /// <summary>MSH-12 of the ACK when the original's version is missing or unsupported.</summary>
    public string FallbackVersion { get; init; } = "2.5.1";
}

/// <summary>
/// Builds original-mode ACK messages: MSH with sender and receiver swapped, MSA, and one ERR per error. The
/// ACK uses the standard delimiters and escapes every value. For versions before 2.5 the error goes in ERR-1
/// (ELD) and MSA-3; from 2.5 on in ERR-2 (location), ERR-3 (table 0357 code), ERR-4 (severity) and ERR-8
/// (user message). The ACK keeps the original's version and, when supported, its MSH-18 character set, so
/// <see cref="Mllp.FrameMessage"/> encodes it the way the sender reads it.
/// </summary>
public static class Hl7Ack
{
    private static readonly Hl7Delimiters D = Hl7Delimiters.Standard;

    /// <summary>Builds an ACK. <paramref name="original"/> is null when the received MSH could not be read.</summary>
    /// <param name="code">MSA-1.</param>
    /// <param name="original">The received header, or null when MSH was unreadable.</param>
    /// <param name="errors">One ERR segment each; at least one for AE and AR.</param>
    /// <param name="options">The ACK's own control id, time and fallbacks.</param>
    /// <param name="originalControlId">MSA-2 when there is no header (a best-effort id), else ignored.</param>
    public static string Build(
        Hl7AckCode code,
        Hl7Header? original,
        IReadOnlyList<Hl7Error> errors,
        Hl7AckOptions options,
        string? originalControlId = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ControlId);
        if (code != Hl7AckCode.ApplicationAccept && errors.Count == 0)
        {
            throw new ArgumentException("An AE or AR acknowledgment needs at least one error.", nameof(errors));
        }

        var version = original is not null && Hl7Parser.SupportedVersions.Contains(original.VersionId)
            ? original.VersionId
            : options.FallbackVersion;
        var legacy = version is "2.3" or "2.3.1" or "2.4";
        var acknowledgedId = FirstNonEmpty(original?.ControlId, originalControlId, options.PlaceholderControlId);
        var trigger = original?.MessageType.TriggerEvent ?? string.Empty;
        var charset = original is not null && original.CharacterSet.Trim().Length > 0 && Hl7Charset.Resolve(original.CharacterSet) is not null
            ? original.CharacterSet.Trim()
            : string.Empty;

        var text = new StringBuilder();
        Segment(
            text,
            "MSH",
            D.EncodingCharacters,
            Hd(original is null || original.ReceivingApplication.IsEmpty ? options.OwnApplication : original.ReceivingApplication),
            Hd(original is null || original.ReceivingFacility.IsEmpty ? options.OwnFacility : original.ReceivingFacility),
            Hd(original?.SendingApplication ?? Hl7HierarchicDesignator.None),
            Hd(original?.SendingFacility ?? Hl7HierarchicDesignator.None),
            Hl7DateTime.Format(options.Timestamp),
            string.Empty,
            trigger.Length == 0 ? "ACK" : Components("ACK", E(trigger), "ACK"),
            E(options.ControlId),
            original?.ProcessingId is "P" or "D" or "T" ? original.ProcessingId : "P",
            version,
            string.Empty,
            string.Empty,
            string.Empty,
            string.Empty,
            string.Empty,
            E(charset));

        var firstMessage = errors.Count > 0 ? errors[0].Message : string.Empty;
        Segment(text, "MSA", AckCode(code), E(acknowledgedId), legacy ? E(firstMessage) : string.Empty);

        foreach (var error in errors)
        {
            if (legacy)
            {
                Segment(text, "ERR", LegacyLocation(error));
            }
            else
            {
                Segment(
                    text,
                    "ERR",
                    string.Empty,
                    Location(error.Location),
                    Components(Code(error.Code), E(Hl7Error.Describe(error.Code)), "HL70357"),
                    Severity(error.Severity),
                    string.Empty,
                    string.Empty,
                    string.Empty,
                    E(error.Message));
            }
        }

        return text.ToString();
    }

    /// <summary>AA for a processed message; warnings (severity W or I) may ride along as ERR segments.</summary>
    public static string Accept(Hl7Header original, Hl7AckOptions options, IReadOnlyList<Hl7Error>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        return Build(Hl7AckCode.ApplicationAccept, original, warnings ?? [], options);
    }

    /// <summary>
    /// The ACK for a message the parser refused: AR when MSH was unreadable or at fault (type, version,
    /// processing id, character set), AE when the header was fine but the body was not.
    /// </summary>
    public static string ForParseFailure(Hl7ParseResult result, Hl7AckOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsSuccess)
        {
            throw new ArgumentException("The message was parsed; acknowledge it with Accept or Build.", nameof(result));
        }

        return Build(RejectOrError(result.Header, result.Error), result.Header, [result.Error], options, result.ControlId);
    }

    /// <summary>
    /// The ACK for a readable message that could not be processed (for example not an ORU^R01, or OBX before
    /// OBR): AR for an unsupported type, event, version or processing id or a header fault, AE otherwise.
    /// </summary>
    public static string ForError(Hl7Header original, Hl7Error error, Hl7AckOptions options)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(error);
        return Build(RejectOrError(original, error), original, [error], options);
    }

    /// <summary>
    /// AR for bytes that never became a message (for example an oversized or broken MLLP frame): MSH is read
    /// from <paramref name="head"/> on a best-effort basis to address the ACK and echo the control id.
    /// </summary>
    public static string RejectFrame(ReadOnlySpan<byte> head, Hl7Error error, Hl7AckOptions options)
    {
        ArgumentNullException.ThrowIfNull(error);
        var firstLineEnd = head.IndexOfAny((byte)'\r', (byte)'\n');
        var parsed = Hl7Parser.Parse(firstLineEnd < 0 ? head : head[..firstLineEnd]);
        return Build(Hl7AckCode.ApplicationReject, parsed.Header, [error], options, parsed.ControlId);
    }

    private static Hl7AckCode RejectOrError(Hl7Header? header, Hl7Error error) =>
        header is null
        || error.Code is Hl7ErrorCode.UnsupportedMessageType or Hl7ErrorCode.UnsupportedEventCode
            or Hl7ErrorCode.UnsupportedProcessingId or Hl7ErrorCode.UnsupportedVersionId
        || error.Location is null
        || error.Location.SegmentId == "MSH"
            ? Hl7AckCode.ApplicationReject
            : Hl7AckCode.ApplicationError;

    private static void Segment(StringBuilder text, string id, params string[] fields)
    {
        var count = fields.Length;
        while (count > 0 && fields[count - 1].Length == 0)
        {
            count--;
        }

        text.Append(id);
        for (var i = 0; i < count; i++)
        {
            // MSH-1 is the separator itself: MSH|^~\& has one separator before MSH-2.
            text.Append(D.Field).Append(fields[i]);
        }

        text.Append('\r');
    }

    private static string E(string value) => Hl7Escaping.Escape(value, D);

    private static string Components(params string[] components) =>
        string.Join(D.Component, components).TrimEnd(D.Component);

    private static string Hd(Hl7HierarchicDesignator hd) =>
        Components(E(hd.NamespaceId), E(hd.UniversalId), E(hd.UniversalIdType));

    private static string Code(Hl7ErrorCode code) => ((int)code).ToString(CultureInfo.InvariantCulture);

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Location(Hl7Location? at) => at is null
        ? string.Empty
        : Components(E(at.SegmentId), Number(at.SegmentSequence), Number(at.Field), Number(at.Repetition), Number(at.Component), Number(at.Subcomponent));

    /// <summary>ERR-1 of v2.3/2.4 (ELD): segment id ^ sequence ^ field position ^ code&amp;text&amp;HL70357.</summary>
    private static string LegacyLocation(Hl7Error error) => Components(
        E(error.Location?.SegmentId ?? string.Empty),
        Number(error.Location?.SegmentSequence),
        Number(error.Location?.Field),
        string.Join(D.Subcomponent, Code(error.Code), E(Hl7Error.Describe(error.Code)), "HL70357"));

    private static string AckCode(Hl7AckCode code) => code switch
    {
        Hl7AckCode.ApplicationAccept => "AA",
        Hl7AckCode.ApplicationError => "AE",
        _ => "AR",
    };

    private static string Severity(Hl7ErrorSeverity severity) => severity switch
    {
        Hl7ErrorSeverity.Error => "E",
        Hl7ErrorSeverity.Warning => "W",
        _ => "I",
    };

    private static string FirstNonEmpty(params string?[] values) => values.First(v => !string.IsNullOrEmpty(v))!;
}
