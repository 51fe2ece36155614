namespace KetaClinic.Domain.Monitoring;

/// <summary>
/// Who sent an observation, as the message tells it; the App maps this to a chair. Each part is null when the
/// message leaves it empty. Parts are rendered with '^' between components, trailing empty ones left out.
/// </summary>
/// <param name="SendingApplication">MSH-3, for example a gateway or monitor name.</param>
/// <param name="SendingFacility">MSH-4.</param>
/// <param name="EquipmentInstance">OBX-18 (first repetition), for example an EUI-64 of the monitor.</param>
/// <param name="BedLocation">PV1-3 (point of care ^ room ^ bed ...).</param>
public sealed record DeviceIdentity(
    string? SendingApplication,
    string? SendingFacility,
    string? EquipmentInstance,
    string? BedLocation)
{
    /// <summary>Whether the message named nothing the App could map to a chair.</summary>
    public bool IsAnonymous => SendingApplication is null && SendingFacility is null && EquipmentInstance is null && BedLocation is null;
}
