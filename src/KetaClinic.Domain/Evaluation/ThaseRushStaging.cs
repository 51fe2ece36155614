namespace KetaClinic.Domain.Evaluation;

/// <summary>Thase–Rush stages of treatment resistance (REFERENCE.md §3).</summary>
public enum ThaseRushStage
{
    /// <summary>No adequate trial has failed.</summary>
    Stage0,

    /// <summary>Failed an adequate trial of one class.</summary>
    StageI,

    /// <summary>Stage I plus a failure in a different class.</summary>
    StageII,

    /// <summary>Stage II plus a tricyclic failure.</summary>
    StageIII,

    /// <summary>Stage III plus an MAOI failure.</summary>
    StageIV,

    /// <summary>Stage IV plus a failed course of bilateral ECT.</summary>
    StageV,
}

/// <summary>Thase & Rush 1997. Each stage adds a failure beyond the one before, so a tricyclic or MAOI
/// failure counts once: stage III needs three classes including a tricyclic, stage IV four classes
/// including a tricyclic and an MAOI. Stage V needs stage IV first, as the stages are cumulative.</summary>
public static class ThaseRushStaging
{
    public static ThaseRushStage Stage(IEnumerable<AntidepressantClass> failedClasses, bool failedBilateralEct)
    {
        ArgumentNullException.ThrowIfNull(failedClasses);
        var classes = failedClasses.ToHashSet();
        var tricyclic = classes.Contains(AntidepressantClass.Tricyclic);
        var maoi = classes.Contains(AntidepressantClass.Maoi);

        if (classes.Count >= 4 && tricyclic && maoi)
        {
            return failedBilateralEct ? ThaseRushStage.StageV : ThaseRushStage.StageIV;
        }

        if (classes.Count >= 3 && tricyclic)
        {
            return ThaseRushStage.StageIII;
        }

        return classes.Count switch
        {
            0 => ThaseRushStage.Stage0,
            1 => ThaseRushStage.StageI,
            _ => ThaseRushStage.StageII,
        };
    }

    /// <summary>Roman-numeral label as used in the literature: "0", "I" … "V".</summary>
    public static string Label(this ThaseRushStage stage) => stage switch
    {
        ThaseRushStage.Stage0 => "0",
        ThaseRushStage.StageI => "I",
        ThaseRushStage.StageII => "II",
        ThaseRushStage.StageIII => "III",
        ThaseRushStage.StageIV => "IV",
        ThaseRushStage.StageV => "V",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage."),
    };
}
