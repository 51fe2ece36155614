using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// An amount of drug by mass, held as whole micrograms: the ledger is counted to the milligram, and integer
/// arithmetic means a thousand draws add up to exactly what left the vial.
/// </summary>
[JsonConverter(typeof(MassMcgJsonConverter))]
public readonly record struct MassMcg(long Micrograms) : IComparable<MassMcg>
{
    public const long MicrogramsPerMilligram = 1000;

    public static MassMcg Zero => default;

    public decimal Milligrams => Micrograms / (decimal)MicrogramsPerMilligram;

    /// <summary>Exact conversion; a value finer than one microgram is refused rather than rounded.</summary>
    public static MassMcg FromMilligrams(decimal milligrams) =>
        TryFromMilligrams(milligrams, out var mass)
            ? mass
            : throw new ArgumentOutOfRangeException(nameof(milligrams), milligrams, "must be a whole number of micrograms (at most 3 decimals of a milligram) between -1 kg and 1 kg.");

    public static bool TryFromMilligrams(decimal milligrams, out MassMcg mass)
    {
        mass = default;
        if (Math.Abs(milligrams) > Quantity.MaxMagnitude / MicrogramsPerMilligram)
        {
            return false;
        }
        var micrograms = milligrams * MicrogramsPerMilligram;
        if (micrograms != decimal.Truncate(micrograms))
        {
            return false;
        }
        mass = new MassMcg((long)micrograms);
        return true;
    }

    public static MassMcg operator +(MassMcg left, MassMcg right) => new(checked(left.Micrograms + right.Micrograms));
    public static MassMcg operator -(MassMcg left, MassMcg right) => new(checked(left.Micrograms - right.Micrograms));
    public static MassMcg operator -(MassMcg value) => new(checked(-value.Micrograms));
    public static MassMcg operator *(MassMcg left, long factor) => new(checked(left.Micrograms * factor));
    public static bool operator <(MassMcg left, MassMcg right) => left.Micrograms < right.Micrograms;
    public static bool operator >(MassMcg left, MassMcg right) => left.Micrograms > right.Micrograms;
    public static bool operator <=(MassMcg left, MassMcg right) => left.Micrograms <= right.Micrograms;
    public static bool operator >=(MassMcg left, MassMcg right) => left.Micrograms >= right.Micrograms;

    public MassMcg Add(MassMcg other) => this + other;
    public MassMcg Subtract(MassMcg other) => this - other;
    public MassMcg Negate() => -this;
    public MassMcg Multiply(long factor) => this * factor;
    public int CompareTo(MassMcg other) => Micrograms.CompareTo(other.Micrograms);

    public override string ToString() => Milligrams.ToString("0.###", CultureInfo.InvariantCulture) + " mg";
}

/// <summary>A volume held as whole microlitres (a hundredth of a millilitre is 10 µL), so sums never drift.</summary>
[JsonConverter(typeof(VolumeUlJsonConverter))]
public readonly record struct VolumeUl(long Microlitres) : IComparable<VolumeUl>
{
    public const long MicrolitresPerMillilitre = 1000;

    public decimal Millilitres => Microlitres / (decimal)MicrolitresPerMillilitre;

    public static VolumeUl FromMillilitres(decimal millilitres) =>
        TryFromMillilitres(millilitres, out var volume)
            ? volume
            : throw new ArgumentOutOfRangeException(nameof(millilitres), millilitres, "must be a whole number of microlitres (at most 3 decimals of a millilitre) between -1000 L and 1000 L.");

    public static bool TryFromMillilitres(decimal millilitres, out VolumeUl volume)
    {
        volume = default;
        if (Math.Abs(millilitres) > Quantity.MaxMagnitude / MicrolitresPerMillilitre)
        {
            return false;
        }
        var microlitres = millilitres * MicrolitresPerMillilitre;
        if (microlitres != decimal.Truncate(microlitres))
        {
            return false;
        }
        volume = new VolumeUl((long)microlitres);
        return true;
    }

    public static VolumeUl operator +(VolumeUl left, VolumeUl right) => new(checked(left.Microlitres + right.Microlitres));
    public static VolumeUl operator -(VolumeUl left, VolumeUl right) => new(checked(left.Microlitres - right.Microlitres));
    public static bool operator <(VolumeUl left, VolumeUl right) => left.Microlitres < right.Microlitres;
    public static bool operator >(VolumeUl left, VolumeUl right) => left.Microlitres > right.Microlitres;
    public static bool operator <=(VolumeUl left, VolumeUl right) => left.Microlitres <= right.Microlitres;
    public static bool operator >=(VolumeUl left, VolumeUl right) => left.Microlitres >= right.Microlitres;

    public VolumeUl Add(VolumeUl other) => this + other;
    public VolumeUl Subtract(VolumeUl other) => this - other;
    public int CompareTo(VolumeUl other) => Microlitres.CompareTo(other.Microlitres);

    public override string ToString() => Millilitres.ToString("0.###", CultureInfo.InvariantCulture) + " mL";
}

/// <summary>
/// Strength of a solution in micrograms per millilitre (50 mg/mL is 50,000). One microlitre at 1 mg/mL holds one
/// microgram, so for whole mg/mL strengths every whole-microlitre volume is a whole number of micrograms.
/// </summary>
public readonly record struct ConcentrationMcgPerMl(long MicrogramsPerMillilitre)
{
    public decimal MilligramsPerMillilitre => MicrogramsPerMillilitre / (decimal)MassMcg.MicrogramsPerMilligram;

    public static ConcentrationMcgPerMl FromMilligramsPerMillilitre(decimal mgPerMl)
    {
        var mcg = mgPerMl * MassMcg.MicrogramsPerMilligram;
        return mgPerMl > 0 && mgPerMl <= 1_000_000m && mcg == decimal.Truncate(mcg)
            ? new ConcentrationMcgPerMl((long)mcg)
            : throw new ArgumentOutOfRangeException(nameof(mgPerMl), mgPerMl, "must be above 0 and a whole number of micrograms per millilitre.");
    }

    /// <summary>The mass in a volume, or null when it is not a whole number of micrograms (never rounded).</summary>
    public MassMcg? MassIn(VolumeUl volume)
    {
        var product = checked(volume.Microlitres * MicrogramsPerMillilitre);
        return product % VolumeUl.MicrolitresPerMillilitre == 0
            ? new MassMcg(product / VolumeUl.MicrolitresPerMillilitre)
            : null;
    }

    /// <summary>The volume that holds a mass, or null when it is not a whole number of microlitres.</summary>
    public VolumeUl? VolumeOf(MassMcg mass)
    {
        if (MicrogramsPerMillilitre <= 0)
        {
            return null;
        }
        var scaled = checked(mass.Micrograms * VolumeUl.MicrolitresPerMillilitre);
        return scaled % MicrogramsPerMillilitre == 0 ? new VolumeUl(scaled / MicrogramsPerMillilitre) : null;
    }

    public override string ToString() => MilligramsPerMillilitre.ToString("0.###", CultureInfo.InvariantCulture) + " mg/mL";
}

/// <summary>The unit a person measured in: micrograms (entered as mg), microlitres (entered as mL) or whole devices.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AmountUnit>))]
public enum AmountUnit
{
    Microgram,
    Microlitre,
    Device,
}

/// <summary>An amount as entered at the cabinet or bedside, before the product turns it into a mass.</summary>
public readonly record struct MeasuredAmount(long Value, AmountUnit Unit)
{
    public static MeasuredAmount Milligrams(decimal milligrams) => new(MassMcg.FromMilligrams(milligrams).Micrograms, AmountUnit.Microgram);
    public static MeasuredAmount Millilitres(decimal millilitres) => new(VolumeUl.FromMillilitres(millilitres).Microlitres, AmountUnit.Microlitre);
    public static MeasuredAmount Devices(int count) => new(count, AmountUnit.Device);
    public static MeasuredAmount Of(MassMcg mass) => new(mass.Micrograms, AmountUnit.Microgram);
    public static MeasuredAmount Of(VolumeUl volume) => new(volume.Microlitres, AmountUnit.Microlitre);

    public override string ToString() => Unit switch
    {
        AmountUnit.Microgram => new MassMcg(Value).ToString(),
        AmountUnit.Microlitre => new VolumeUl(Value).ToString(),
        _ => Value.ToString(CultureInfo.InvariantCulture) + (Value == 1 ? " device" : " devices"),
    };
}

internal static class Quantity
{
    /// <summary>No single amount in a clinic ledger comes near this (a kilogram, a thousand litres); it keeps products of two amounts inside a long.</summary>
    public const long MaxMagnitude = 1_000_000_000;
}

internal sealed class MassMcgJsonConverter : JsonConverter<MassMcg>
{
    public override MassMcg Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetInt64());
    public override void Write(Utf8JsonWriter writer, MassMcg value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Micrograms);
    }
}

internal sealed class VolumeUlJsonConverter : JsonConverter<VolumeUl>
{
    public override VolumeUl Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetInt64());
    public override void Write(Utf8JsonWriter writer, VolumeUl value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Microlitres);
    }
}
