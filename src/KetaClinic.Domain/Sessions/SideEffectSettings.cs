using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

public sealed record SideEffectSettings
{
    /// <summary>The highest CADSS-6 total accepted.</summary>
    public SourcedSetting<int> Cadss6MaximumScore { get; init; } = new(
        24,
        "Instruments/Definitions/cadss6.json: six items rated 0–4, total 0–24 (REFERENCE.md §1, item range [open])");

    public static SideEffectSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(Cadss6MaximumScore), Cadss6MaximumScore, 1, 200, "points");
        return errors;
    }
}
