namespace KetaClinic.Domain.Evaluation;

/// <summary>How an antidepressant trial ended.</summary>
public enum TrialOutcome
{
    /// <summary>Less than 25 % improvement.</summary>
    NoResponse,

    /// <summary>Some improvement but under the 50 % that defines response; still a failed trial.</summary>
    PartialResponse,

    /// <summary>At least 50 % improvement.</summary>
    Response,

    StoppedForSideEffects,

    StoppedForNonAdherence,
}

/// <summary>One antidepressant trial as recorded by the physician. Null means "not recorded".</summary>
/// <param name="Drug">Drug name as written; matched against the catalogue, free text accepted.</param>
/// <param name="MaximumDailyDoseMg">Highest daily dose reached.</param>
/// <param name="WeeksAtMaximumDose">Weeks the patient took that highest dose.</param>
/// <param name="Outcome">How the trial ended.</param>
/// <param name="InCurrentEpisode">Whether the trial was in the current depressive episode.</param>
public sealed record AntidepressantTrial(
    string? Drug,
    decimal? MaximumDailyDoseMg,
    decimal? WeeksAtMaximumDose,
    TrialOutcome? Outcome,
    bool? InCurrentEpisode)
{
    /// <summary>For a drug not in the catalogue: the class the physician assigns to it.</summary>
    public AntidepressantClass? PhysicianAssignedClass { get; init; }

    /// <summary>For a drug not in the catalogue: the physician's written confirmation that the dose was
    /// adequate. Without it an unknown drug is never counted (issue 4, "Bad input").</summary>
    public string? PhysicianDoseConfirmation { get; init; }
}
