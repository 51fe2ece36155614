using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

/// <summary>Shared checks for the session settings: a range per number and a source per setting.</summary>
internal static class SettingChecks
{
    public static void Range(List<DataValidationError> errors, string field, SourcedSetting<int> setting, int min, int max, string unit)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting.Value < min || setting.Value > max)
        {
            errors.Add(new(null, null, field, $"must be between {SessionText.Number(min)} and {SessionText.Number(max)} {unit}."));
        }

        Source(errors, field, setting.Source);
    }

    public static void Range(List<DataValidationError> errors, string field, SourcedSetting<decimal> setting, decimal min, decimal max, string unit)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting.Value < min || setting.Value > max)
        {
            errors.Add(new(null, null, field, $"must be between {SessionText.Number(min)} and {SessionText.Number(max)} {unit}."));
        }

        Source(errors, field, setting.Source);
    }

    public static void Source(List<DataValidationError> errors, string field, string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            errors.Add(new(null, null, field, "needs a source."));
        }
    }
}
