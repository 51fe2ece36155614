using System.Text.RegularExpressions;

namespace KetaClinic.Domain.Common;

/// <summary>Collects field errors; each check names the field and the rule in words a clinic user reads.</summary>
public sealed partial class Validator
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;
    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message) => _errors.Add(new FieldError(field, message));

    public string? Text(string field, string? value, int maxLength, bool required)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is null)
        {
            if (required)
            {
                Add(field, "is required.");
            }
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters (got {trimmed.Length}).");
        }
        else if (trimmed.Any(char.IsControl))
        {
            Add(field, "must not contain control characters.");
        }
        return trimmed;
    }

    public string? Email(string field, string? value, bool required)
    {
        var text = Text(field, value, 254, required);
        if (text is not null && !EmailPattern().IsMatch(text))
        {
            Add(field, "must be an email address such as name@example.org.");
        }
        return text;
    }

    public string? Phone(string field, string? value, bool required)
    {
        var text = Text(field, value, 32, required);
        if (text is null)
        {
            return null;
        }
        var digits = text.Count(char.IsAsciiDigit);
        if (!PhonePattern().IsMatch(text) || digits < 7 || digits > 15)
        {
            Add(field, "must be a phone number of 7 to 15 digits (digits, spaces, '+', '-', '(', ')' and '.' allowed).");
        }
        return text;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
