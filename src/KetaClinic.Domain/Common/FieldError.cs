namespace KetaClinic.Domain.Common;

/// <summary>A validation failure that names the field (as the API spells it) and the rule it broke.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>Thrown by domain objects when a command would break one of their rules.</summary>
public sealed class DomainValidationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
