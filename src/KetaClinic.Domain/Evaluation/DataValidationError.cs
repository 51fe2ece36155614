using System.Globalization;

namespace KetaClinic.Domain.Evaluation;

/// <summary>A problem in clinic-edited reference data or settings, naming the row and the field.</summary>
/// <param name="Row">1-based row number in the list, or null for a problem with the document or a setting.</param>
/// <param name="RowName">The row's name as written, when it has one, so the clinic can find it.</param>
/// <param name="Field">The field (JSON property or setting name) at fault.</param>
/// <param name="Message">What is wrong, in plain language.</param>
public sealed record DataValidationError(int? Row, string? RowName, string Field, string Message)
{
    public override string ToString()
    {
        var where = Row is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"row {Row}")
              + (string.IsNullOrWhiteSpace(RowName) ? string.Empty : $" ({RowName})") + ", ";
        return $"{where}field '{Field}': {Message}";
    }
}

/// <summary>Outcome of loading reference data: either a value or the list of errors that prevented it.</summary>
public sealed record DataLoadResult<T>
    where T : class
{
    public DataLoadResult(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        Errors = [];
    }

    public DataLoadResult(IReadOnlyList<DataValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A failed load needs at least one error.", nameof(errors));
        }

        Errors = errors;
    }

    /// <summary>The loaded data; null when <see cref="Errors"/> is not empty.</summary>
    public T? Value { get; }

    public IReadOnlyList<DataValidationError> Errors { get; }

    public bool IsValid => Value is not null;
}
