using System.Globalization;

namespace KetaClinic.Domain.Common;

/// <summary>Body weight in kilograms.</summary>
public readonly record struct WeightKg(decimal Value) : IComparable<WeightKg>
{
    public int CompareTo(WeightKg other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString("0.##", CultureInfo.InvariantCulture) + " kg";
    public static bool operator <(WeightKg left, WeightKg right) => left.CompareTo(right) < 0;
    public static bool operator >(WeightKg left, WeightKg right) => left.CompareTo(right) > 0;
    public static bool operator <=(WeightKg left, WeightKg right) => left.CompareTo(right) <= 0;
    public static bool operator >=(WeightKg left, WeightKg right) => left.CompareTo(right) >= 0;
}

/// <summary>Body height in centimetres.</summary>
public readonly record struct HeightCm(decimal Value) : IComparable<HeightCm>
{
    public int CompareTo(HeightCm other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString("0.#", CultureInfo.InvariantCulture) + " cm";
    public static bool operator <(HeightCm left, HeightCm right) => left.CompareTo(right) < 0;
    public static bool operator >(HeightCm left, HeightCm right) => left.CompareTo(right) > 0;
    public static bool operator <=(HeightCm left, HeightCm right) => left.CompareTo(right) <= 0;
    public static bool operator >=(HeightCm left, HeightCm right) => left.CompareTo(right) >= 0;
}
