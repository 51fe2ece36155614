namespace KetaClinic.Domain.Evaluation;

/// <summary>Severity of the current episode, on the Maudsley Staging Method's scale (REFERENCE.md §3).</summary>
public enum EpisodeSeverity
{
    Subsyndromal,
    Mild,
    Moderate,
    SevereWithoutPsychosis,
    SevereWithPsychosis,
}

public enum MaudsleyBand
{
    Mild,
    Moderate,
    Severe,
}

/// <summary>The five parameters of the Maudsley Staging Method.</summary>
/// <param name="EpisodeDurationMonths">Completed months since the onset of the current episode.</param>
/// <param name="FailedAntidepressants">Antidepressants that failed in adequate trials in the current episode.</param>
public sealed record MaudsleyInputs(
    int EpisodeDurationMonths,
    EpisodeSeverity Severity,
    int FailedAntidepressants,
    bool AugmentationUsed,
    bool EctUsed);

/// <summary>A Maudsley Staging Method result with the points of each parameter.</summary>
public sealed record MaudsleyScore(
    int DurationPoints,
    int SeverityPoints,
    int FailedAntidepressantPoints,
    int AugmentationPoints,
    int EctPoints,
    int Total,
    MaudsleyBand Band);

/// <summary>Maudsley Staging Method (Fekadu et al. 2009), exactly as in REFERENCE.md §3. Total 3–15.</summary>
public static class MaudsleyStaging
{
    public static MaudsleyScore Score(MaudsleyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.EpisodeDurationMonths, nameof(inputs));
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.FailedAntidepressants, nameof(inputs));

        // ≤ 12 months acute = 1, 13–24 sub-acute = 2, > 24 chronic = 3.
        var duration = inputs.EpisodeDurationMonths switch
        {
            <= 12 => 1,
            <= 24 => 2,
            _ => 3,
        };
        var severity = inputs.Severity switch
        {
            EpisodeSeverity.Subsyndromal => 1,
            EpisodeSeverity.Mild => 2,
            EpisodeSeverity.Moderate => 3,
            EpisodeSeverity.SevereWithoutPsychosis => 4,
            EpisodeSeverity.SevereWithPsychosis => 5,
            _ => throw new ArgumentOutOfRangeException(nameof(inputs), inputs.Severity, "Unknown severity."),
        };

        // Fekadu's lowest level is "1–2 antidepressants"; a patient with none is scored there too,
        // so the total stays on the method's 3–15 scale.
        var failures = inputs.FailedAntidepressants switch
        {
            <= 2 => 1,
            <= 4 => 2,
            <= 6 => 3,
            <= 10 => 4,
            _ => 5,
        };
        var augmentation = inputs.AugmentationUsed ? 1 : 0;
        var ect = inputs.EctUsed ? 1 : 0;
        var total = duration + severity + failures + augmentation + ect;
        return new MaudsleyScore(duration, severity, failures, augmentation, ect, total, BandFor(total));
    }

    /// <summary>Mild 3–6, moderate 7–10, severe 11–15.</summary>
    public static MaudsleyBand BandFor(int total) => total switch
    {
        < 3 or > 15 => throw new ArgumentOutOfRangeException(nameof(total), total, "A Maudsley total lies between 3 and 15."),
        <= 6 => MaudsleyBand.Mild,
        <= 10 => MaudsleyBand.Moderate,
        _ => MaudsleyBand.Severe,
    };

    /// <summary>Plain-language band name: "mild", "moderate" or "severe".</summary>
    public static string Label(this MaudsleyBand band) => band switch
    {
        MaudsleyBand.Mild => "mild",
        MaudsleyBand.Moderate => "moderate",
        MaudsleyBand.Severe => "severe",
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown band."),
    };

    /// <summary>Completed calendar months from <paramref name="onset"/> to <paramref name="asOf"/>.</summary>
    public static int CompletedMonths(DateOnly onset, DateOnly asOf)
    {
        if (asOf < onset)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, "The date lies before the onset.");
        }

        var months = ((asOf.Year - onset.Year) * 12) + asOf.Month - onset.Month;
        return onset.AddMonths(months) > asOf ? months - 1 : months;
    }
}
