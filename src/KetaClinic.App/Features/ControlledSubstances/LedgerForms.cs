using KetaClinic.Domain.Common;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>What a page's witness fields hold until the form is sent.</summary>
public sealed class WitnessForm
{
    public string? Email { get; set; }
    public string? Password { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Email) && string.IsNullOrEmpty(Password);

    public WitnessInput ToInput() => new(Email, Password);

    public void Clear()
    {
        Email = null;
        Password = null;
    }
}

/// <summary>An amount field on a page: the number and its unit.</summary>
public sealed class AmountForm
{
    public decimal? Value { get; set; }
    public string Unit { get; set; } = "mL";

    public AmountInput ToInput() => new(Value, Unit);
}

public static class LedgerResultText
{
    /// <summary>The first error for a field or any of its sub-fields (e.g. "witness" covers "witness.userId").</summary>
    public static string? ErrorUnder<T>(this Result<T>? result, string field) =>
        result?.Errors.FirstOrDefault(e => e.Field == field || e.Field.StartsWith(field + ".", StringComparison.Ordinal) || e.Field.StartsWith(field + "[", StringComparison.Ordinal))?.Message;

    /// <summary>Errors not shown beside a field of the form, with their field names.</summary>
    public static IEnumerable<FieldError> Others<T>(this Result<T>? result, params string[] shown) =>
        result?.Errors.Where(e => !shown.Any(f => e.Field == f || e.Field.StartsWith(f + ".", StringComparison.Ordinal) || e.Field.StartsWith(f + "[", StringComparison.Ordinal))) ?? [];
}
