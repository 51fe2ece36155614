using System.Globalization;

namespace KetaClinic.Domain.Patients;

/// <summary>
/// Medical record number: "KC" then eight digits, the last a Luhn check digit so a mistyped MRN is caught
/// at the front desk rather than opening the wrong record.
/// </summary>
public static class Mrn
{
    public const string Prefix = "KC";
    public const int BodyDigits = 7;
    public static readonly long MaxBody = (long)Math.Pow(10, BodyDigits) - 1;

    public static string FromNumber(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, MaxBody);
        var body = number.ToString(CultureInfo.InvariantCulture).PadLeft(BodyDigits, '0');
        return Prefix + body + LuhnDigit(body);
    }

    /// <summary>Draws a random MRN; the database's unique index decides whether it is free.</summary>
    public static string Random(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return FromNumber(random.NextInt64(1, MaxBody + 1));
    }

    public static bool IsValid(string? mrn)
    {
        if (mrn is null || mrn.Length != Prefix.Length + BodyDigits + 1 || !mrn.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var digits = mrn[Prefix.Length..];
        if (!digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        return LuhnDigit(digits[..BodyDigits]) == digits[BodyDigits];
    }

    public static string Normalize(string mrn) => (mrn ?? string.Empty).Trim().ToUpperInvariant();

    private static char LuhnDigit(string body)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var d = body[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
