using System.Diagnostics.CodeAnalysis;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// Outcome of <see cref="Hl7Parser"/>: a message, or an error naming the segment, field and rule. On failure
/// <see cref="Header"/> is still set when MSH could be read (the body, a header field or the version was at
/// fault), so that the ACK can be addressed; <see cref="ControlId"/> is the best available MSH-10.
/// </summary>
public sealed class Hl7ParseResult
{
    private Hl7ParseResult(Hl7Message? message, Hl7Error? error, Hl7Header? header, string? controlId)
    {
        Message = message;
        Error = error;
        Header = header;
        ControlId = string.IsNullOrEmpty(controlId) ? null : controlId;
    }

    public Hl7Message? Message { get; }

    public Hl7Error? Error { get; }

    public Hl7Header? Header { get; }

    /// <summary>MSH-10 from the header, or scraped from an unreadable MSH when it looked like an id; null when none.</summary>
    public string? ControlId { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Message is not null;

    internal static Hl7ParseResult Success(Hl7Message message) =>
        new(message, null, message.Header, message.Header.ControlId);

    internal static Hl7ParseResult Failure(Hl7Error error, Hl7Header? header, string? controlId = null) =>
        new(null, error, header, header?.ControlId ?? controlId);
}
