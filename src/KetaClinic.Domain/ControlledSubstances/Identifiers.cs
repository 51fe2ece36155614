using System.Text.RegularExpressions;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// A DEA registration number: two letters and seven digits, the last a check digit:
/// (d1 + d3 + d5 + 2 × (d2 + d4 + d6)) mod 10 = d7. A mistyped supplier number is caught at receipt.
/// </summary>
public static partial class DeaNumber
{
    public const string Rule = "must be two letters and seven digits whose last digit is the DEA check digit, such as AB1234563.";

    public static string Normalize(string? value) => (value ?? string.Empty).Trim().ToUpperInvariant();

    public static bool IsValid(string? value)
    {
        var number = Normalize(value);
        if (!Shape().IsMatch(number))
        {
            return false;
        }
        var d = number[2..].Select(c => c - '0').ToArray();
        return CheckDigit(d[0], d[1], d[2], d[3], d[4], d[5]) == d[6];
    }

    /// <summary>The check digit for six leading digits.</summary>
    public static int CheckDigit(int d1, int d2, int d3, int d4, int d5, int d6) =>
        (d1 + d3 + d5 + (2 * (d2 + d4 + d6))) % 10;

    [GeneratedRegex("^[A-Z]{2}[0-9]{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}

/// <summary>
/// A National Drug Code as printed on the package: 10 digits in 4-4-2, 5-3-2 or 5-4-1 segments, or the
/// 11-digit 5-4-2 form used in billing. <see cref="ElevenDigit"/> pads the short segment with a leading zero.
/// </summary>
public sealed partial record Ndc
{
    public const string Rule = "must be an NDC with hyphens in 4-4-2, 5-3-2, 5-4-1 or 5-4-2 form, such as 0409-2051-05.";

    private Ndc(string text, string elevenDigit)
    {
        Text = text;
        ElevenDigit = elevenDigit;
    }

    /// <summary>The code as entered (trimmed), hyphens kept.</summary>
    public string Text { get; }

    /// <summary>The 5-4-2 form with hyphens, the same for every way of writing one package's code.</summary>
    public string ElevenDigit { get; }

    public static bool TryParse(string? value, out Ndc? ndc)
    {
        ndc = null;
        var text = (value ?? string.Empty).Trim();
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var labeler = match.Groups["labeler"].Value;
        var product = match.Groups["product"].Value;
        var package = match.Groups["package"].Value;
        var eleven = $"{labeler.PadLeft(5, '0')}-{product.PadLeft(4, '0')}-{package.PadLeft(2, '0')}";
        // 4-4-2 padded gives 5-4-2, and so do 5-3-2 and 5-4-1; a 4-3-x or 4-4-1 code is not one of the legal shapes.
        var lengths = (labeler.Length, product.Length, package.Length);
        if (lengths is not ((4, 4, 2) or (5, 3, 2) or (5, 4, 1) or (5, 4, 2)))
        {
            return false;
        }
        ndc = new Ndc(text, eleven);
        return true;
    }

    public static Ndc Parse(string? value) =>
        TryParse(value, out var ndc) ? ndc! : throw new FormatException($"NDC '{value}' {Rule}");

    public bool Equals(Ndc? other) => other is not null && string.Equals(ElevenDigit, other.ElevenDigit, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ElevenDigit);

    public override string ToString() => Text;

    [GeneratedRegex("^(?<labeler>[0-9]{4,5})-(?<product>[0-9]{3,4})-(?<package>[0-9]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
