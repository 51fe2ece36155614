using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

public sealed record RemsFormSettings
{
    /// <summary>The Patient Monitoring Form is sent within this many days after the session.</summary>
    public SourcedSetting<int> SubmitWithinDays { get; init; } = new(
        7,
        "REFERENCE.md §6 [firm]: a Patient Monitoring Form is sent for every session within 7 days");

    public static RemsFormSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(SubmitWithinDays), SubmitWithinDays, 1, 60, "days");
        return errors;
    }
}
