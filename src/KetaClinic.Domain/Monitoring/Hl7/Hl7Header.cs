namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// The MSH essentials. A header can exist for a message whose body (or even another MSH field) is broken,
/// so that an ACK can still be addressed and carry the control id; its strings are "" when absent.
/// </summary>
public sealed record Hl7Header(
    Hl7Delimiters Delimiters,
    Hl7HierarchicDesignator SendingApplication,
    Hl7HierarchicDesignator SendingFacility,
    Hl7HierarchicDesignator ReceivingApplication,
    Hl7HierarchicDesignator ReceivingFacility,
    string DateTimeOfMessage,
    Hl7MessageType MessageType,
    string ControlId,
    string ProcessingId,
    string VersionId,
    string CharacterSet);

/// <summary>The HD data type (MSH-3 to MSH-6): namespace id ^ universal id ^ universal id type.</summary>
public sealed record Hl7HierarchicDesignator(string NamespaceId, string UniversalId, string UniversalIdType)
{
    public static Hl7HierarchicDesignator None { get; } = new(string.Empty, string.Empty, string.Empty);

    public bool IsEmpty => NamespaceId.Length == 0 && UniversalId.Length == 0 && UniversalIdType.Length == 0;

    /// <summary>The components joined with '^', trailing empty ones left out.</summary>
    public override string ToString() =>
        string.Join('^', new[] { NamespaceId, UniversalId, UniversalIdType }).TrimEnd('^');

    internal static Hl7HierarchicDesignator From(Hl7Field field) =>
        new(field.Get(1), field.Get(2), field.Get(3));
}

/// <summary>MSH-9: message code ^ trigger event ^ message structure, for example ORU^R01^ORU_R01.</summary>
public sealed record Hl7MessageType(string Code, string TriggerEvent, string Structure)
{
    public override string ToString() => TriggerEvent.Length == 0 ? Code : $"{Code}^{TriggerEvent}";

    /// <summary>Whether the message code and trigger event are those given (case-sensitive, as in the standard).</summary>
    public bool Is(string code, string triggerEvent) =>
        string.Equals(Code, code, StringComparison.Ordinal) && string.Equals(TriggerEvent, triggerEvent, StringComparison.Ordinal);
}
