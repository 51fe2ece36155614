using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// When an unacknowledged alert climbs: to the second level <see cref="SecondLevelAfterMinutes"/> after it was raised,
/// then to the physician <see cref="PhysicianAfterFurtherMinutes"/> after that.
/// </summary>
public sealed record AlertEscalationSettings
{
    public SourcedSetting<int> SecondLevelAfterMinutes { get; init; } = new(
        2,
        "clinic policy [open]: an alert not acknowledged at the chair within 2 minutes goes to the second level (charge nurse)");

    public SourcedSetting<int> PhysicianAfterFurtherMinutes { get; init; } = new(
        5,
        "clinic policy [open]: still not acknowledged 5 minutes after the second level, it goes to the physician");

    public static AlertEscalationSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(SecondLevelAfterMinutes), SecondLevelAfterMinutes, 1, 60, "minutes");
        SettingChecks.Range(errors, nameof(PhysicianAfterFurtherMinutes), PhysicianAfterFurtherMinutes, 1, 60, "minutes");
        return errors;
    }
}
