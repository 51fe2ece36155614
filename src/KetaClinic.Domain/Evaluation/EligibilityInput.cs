namespace KetaClinic.Domain.Evaluation;

/// <summary>Electroconvulsive therapy in the current episode.</summary>
public enum EctHistory
{
    NotReceived,

    /// <summary>ECT was given, but not a failed course of bilateral ECT (unilateral only, or it helped).</summary>
    ReceivedWithoutBilateralFailure,

    /// <summary>An adequate course of bilateral ECT failed (Thase–Rush stage V).</summary>
    FailedBilateralCourse,
}

/// <summary>Everything the eligibility evaluation looks at. Null means "not recorded" and never passes.</summary>
public sealed record EligibilityInput
{
    /// <summary>Day of the evaluation; episode duration and the decision's expiry count from it.</summary>
    public required DateOnly EvaluatedOn { get; init; }

    public DateOnly? CurrentEpisodeOnset { get; init; }

    /// <summary>Baseline severity of the current episode, as rated by the physician.</summary>
    public EpisodeSeverity? BaselineSeverity { get; init; }

    /// <summary>Antidepressant trials; null or empty means no treatment history was recorded.</summary>
    public IReadOnlyList<AntidepressantTrial>? Trials { get; init; }

    /// <summary>Whether augmentation (lithium, antipsychotic, etc.) was used in the current episode.</summary>
    public bool? AugmentationUsed { get; init; }

    public EctHistory? Ect { get; init; }

    public ContraindicationScreening Screening { get; init; } = ContraindicationScreening.Unanswered;

    /// <summary>Current medications; empty means "takes none", null means "not asked".</summary>
    public IReadOnlyList<CurrentMedication>? CurrentMedications { get; init; }
}
