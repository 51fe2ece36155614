using System.Globalization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Protocols;

/// <summary>An amount of drug in milligrams.</summary>
public readonly record struct DoseMg(decimal Value) : IComparable<DoseMg>
{
    public int CompareTo(DoseMg other) => Value.CompareTo(other.Value);
    public override string ToString() => DoseText.Number(Value) + " mg";
    public static bool operator <(DoseMg left, DoseMg right) => left.CompareTo(right) < 0;
    public static bool operator >(DoseMg left, DoseMg right) => left.CompareTo(right) > 0;
    public static bool operator <=(DoseMg left, DoseMg right) => left.CompareTo(right) <= 0;
    public static bool operator >=(DoseMg left, DoseMg right) => left.CompareTo(right) >= 0;
}

/// <summary>A weight-based dose in milligrams per kilogram of body weight.</summary>
public readonly record struct MgPerKg(decimal Value) : IComparable<MgPerKg>
{
    public int CompareTo(MgPerKg other) => Value.CompareTo(other.Value);
    public override string ToString() => DoseText.Number(Value) + " mg/kg";

    /// <summary>The dose for a body weight, exact (no rounding).</summary>
    public DoseMg For(WeightKg weight) => new(Value * weight.Value);

    public static bool operator <(MgPerKg left, MgPerKg right) => left.CompareTo(right) < 0;
    public static bool operator >(MgPerKg left, MgPerKg right) => left.CompareTo(right) > 0;
    public static bool operator <=(MgPerKg left, MgPerKg right) => left.CompareTo(right) <= 0;
    public static bool operator >=(MgPerKg left, MgPerKg right) => left.CompareTo(right) >= 0;
}

/// <summary>How a protocol expresses its dose.</summary>
public enum DoseBasis
{
    /// <summary>Milligrams per kilogram of the latest body weight (IV, IM).</summary>
    MgPerKg,

    /// <summary>A fixed number of milligrams (oral, sublingual).</summary>
    FixedMg,

    /// <summary>Milligrams delivered as whole single-use devices (intranasal esketamine, 28 mg each).</summary>
    Devices,
}

/// <summary>
/// A dose as a protocol or an order states it: mg/kg for <see cref="DoseBasis.MgPerKg"/>, otherwise mg.
/// The basis travels with the number so a per-kilogram amount can never be read as milligrams.
/// </summary>
public readonly record struct DoseAmount(DoseBasis Basis, decimal Value) : IComparable<DoseAmount>
{
    public static DoseAmount PerKg(MgPerKg dose) => new(DoseBasis.MgPerKg, dose.Value);

    public static DoseAmount Fixed(DoseMg dose) => new(DoseBasis.FixedMg, dose.Value);

    public static DoseAmount InDevices(DoseMg dose) => new(DoseBasis.Devices, dose.Value);

    /// <summary>The amount as mg/kg; throws when the basis is milligrams.</summary>
    public MgPerKg AsMgPerKg() => Basis == DoseBasis.MgPerKg
        ? new MgPerKg(Value)
        : throw new InvalidOperationException($"{this} is not a per-kilogram dose.");

    /// <summary>The amount as milligrams; throws when the basis is mg/kg.</summary>
    public DoseMg AsMg() => Basis != DoseBasis.MgPerKg
        ? new DoseMg(Value)
        : throw new InvalidOperationException($"{this} is a per-kilogram dose, not milligrams.");

    public string Unit => Basis == DoseBasis.MgPerKg ? "mg/kg" : "mg";

    /// <summary>Compares amounts of the same basis; amounts of different bases have no order.</summary>
    public int CompareTo(DoseAmount other) => Basis == other.Basis
        ? Value.CompareTo(other.Value)
        : throw new InvalidOperationException($"Cannot compare {this} with {other}: different dose bases.");

    public override string ToString() => DoseText.Number(Value) + " " + Unit;

    public static bool operator <(DoseAmount left, DoseAmount right) => left.CompareTo(right) < 0;
    public static bool operator >(DoseAmount left, DoseAmount right) => left.CompareTo(right) > 0;
    public static bool operator <=(DoseAmount left, DoseAmount right) => left.CompareTo(right) <= 0;
    public static bool operator >=(DoseAmount left, DoseAmount right) => left.CompareTo(right) >= 0;
}

/// <summary>A body weight together with when it was measured; weight-based dosing checks its age.</summary>
public sealed record RecordedWeight(WeightKg Weight, DateTimeOffset MeasuredAt);

internal static class DoseText
{
    public static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
