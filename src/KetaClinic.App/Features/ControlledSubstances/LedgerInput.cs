using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>Turns what a person typed into the ledger's exact quantities, or says which field is wrong.</summary>
public static class LedgerInput
{
    public static readonly IReadOnlyList<string> Units = ["mL", "mg", "devices"];

    /// <summary>An exact amount, never rounded: 0.005 mL is 5 µL; 0.0005 mL is refused.</summary>
    public static MeasuredAmount? Amount(Validator v, string field, AmountInput? input, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (input?.Value is not { } value)
        {
            if (required)
            {
                v.Add(field, "is required.");
            }
            return null;
        }
        var unit = (input.Unit ?? string.Empty).Trim().ToUpperInvariant();
        switch (unit)
        {
            case "ML":
                if (VolumeUl.TryFromMillilitres(value, out var volume))
                {
                    return MeasuredAmount.Of(volume);
                }
                v.Add(field, "must be a whole number of microlitres (at most 3 decimals of a mL).");
                return null;
            case "MG":
                if (MassMcg.TryFromMilligrams(value, out var mass))
                {
                    return MeasuredAmount.Of(mass);
                }
                v.Add(field, "must be a whole number of micrograms (at most 3 decimals of a mg).");
                return null;
            case "DEVICE" or "DEVICES":
                if (value != decimal.Truncate(value) || value > int.MaxValue || value < int.MinValue)
                {
                    v.Add(field, "must be a whole number of devices.");
                    return null;
                }
                return MeasuredAmount.Devices((int)value);
            default:
                v.Add(field, $"has unit '{input.Unit}'; use one of {string.Join(", ", Units)}.");
                return null;
        }
    }

    public static Supplier Supplier(SupplierInput? input) =>
        new(input?.Name ?? string.Empty, input?.Address ?? string.Empty, input?.DeaNumber ?? string.Empty);

    public static TEnum? Enum<TEnum>(Validator v, string field, string? text, bool required = true)
        where TEnum : struct, System.Enum
    {
        ArgumentNullException.ThrowIfNull(v);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                v.Add(field, $"is required: one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
            }
            return null;
        }
        var compact = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (System.Enum.TryParse<TEnum>(compact, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(compact, out _))
        {
            return value;
        }
        v.Add(field, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        return null;
    }
}
