using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// Vitals typed on the chair's keypad, as <see cref="VitalObservation"/>s like those from a monitor: the device is
/// "manual-entry" with the user's id as its instance, the code the LOINC code (REFERENCE.md §1), status final.
/// Values outside the plausibility limits are refused (an entry error, not a clinical finding).
/// </summary>
public static class ManualVitals
{
    public const string SendingApplication = "manual-entry";

    public static VitalObservation Reading(VitalKind kind, decimal amount, DateTimeOffset at, SessionActor enteredBy, VitalPlausibilityLimits limits)
    {
        var v = new Validator();
        Check(v, "value", kind, amount, limits);
        SessionActor.Check(v, "enteredBy", enteredBy);
        Throw(v);
        return Observation(kind, amount, at, enteredBy);
    }

    /// <summary>One blood pressure measurement: systolic and diastolic at the same time from the same "device", so they pair.</summary>
    public static IReadOnlyList<VitalObservation> BloodPressure(decimal systolicMmHg, decimal diastolicMmHg, DateTimeOffset at, SessionActor enteredBy, VitalPlausibilityLimits limits)
    {
        var v = new Validator();
        Check(v, "systolic", VitalKind.SystolicBloodPressure, systolicMmHg, limits);
        Check(v, "diastolic", VitalKind.DiastolicBloodPressure, diastolicMmHg, limits);
        if (systolicMmHg <= diastolicMmHg)
        {
            v.Add("systolic", "must be above the diastolic.");
        }

        SessionActor.Check(v, "enteredBy", enteredBy);
        Throw(v);
        return
        [
            Observation(VitalKind.SystolicBloodPressure, systolicMmHg, at, enteredBy),
            Observation(VitalKind.DiastolicBloodPressure, diastolicMmHg, at, enteredBy),
        ];
    }

    private static void Check(Validator v, string field, VitalKind kind, decimal amount, VitalPlausibilityLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var range = limits.For(kind);
        if (!range.Value.Contains(amount))
        {
            v.Add(field, $"{new VitalValue(amount, VitalSigns.UnitOf(kind))} is outside the plausible range {SessionText.Number(range.Value.Min)}–{SessionText.Number(range.Value.Max)} {VitalSigns.Symbol(VitalSigns.UnitOf(kind))} for {SessionText.VitalName(kind)}: check the entry.");
        }
    }

    private static VitalObservation Observation(VitalKind kind, decimal amount, DateTimeOffset at, SessionActor by) =>
        new(kind, new VitalValue(amount, VitalSigns.UnitOf(kind)), at, new DeviceIdentity(SendingApplication, null, by.UserId.Trim(), null),
            VitalSigns.LoincCodes(kind)[0] + "^^LN", "F", null);

    private static void Throw(Validator v)
    {
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
    }
}
