namespace KetaClinic.Domain.Evaluation;

public enum TrdStatus
{
    Met,
    NotMet,

    /// <summary>Not met on the settled trials, but unclear trials (or no trials at all) could change that.</summary>
    Undetermined,
}

/// <summary>Whether the patient has treatment-resistant depression, and on which trials.</summary>
/// <param name="QualifyingFailures">Distinct classes (or distinct drugs when classes need not differ)
/// among the adequate failed trials of the current episode.</param>
/// <param name="FailedClasses">Classes of the adequate failed trials of the current episode.</param>
/// <param name="CountedTrials">Numbers of the trials that count.</param>
/// <param name="UndeterminedTrials">Numbers of the trials that could count after review.</param>
public sealed record TrdFinding(
    TrdStatus Status,
    int QualifyingFailures,
    int Required,
    bool DifferentClassesRequired,
    IReadOnlyList<AntidepressantClass> FailedClasses,
    IReadOnlyList<int> CountedTrials,
    IReadOnlyList<int> UndeterminedTrials,
    EvaluationReason Reason);

/// <summary>TRD: at least N adequate failed trials in the current episode, from different classes when
/// the setting asks for it (REFERENCE.md §3).</summary>
public static class TrdRules
{
    public static TrdFinding Determine(IReadOnlyList<TrialAssessment> trials, TrdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(settings);

        var required = settings.FailedAdequateTrialsRequired.Value;
        var differentClasses = settings.RequireDifferentClasses.Value;
        var source = differentClasses
            ? $"{settings.FailedAdequateTrialsRequired.Source}; {settings.RequireDifferentClasses.Source}"
            : settings.FailedAdequateTrialsRequired.Source;

        var counted = trials.Where(t => t.Contribution == TrdContribution.Counts).ToList();
        var undetermined = trials.Where(t => t.Contribution == TrdContribution.Undetermined).Select(t => t.Number).ToArray();
        var failedClasses = counted.Select(t => t.Class!.Value).Distinct().Order().ToArray();

        // A repeat of the same drug is one antidepressant, not two.
        var qualifying = differentClasses
            ? failedClasses.Length
            : counted.Select(t => t.CatalogueEntry?.Name ?? DrugNames.Key(t.Drug)).Distinct(StringComparer.Ordinal).Count();
        var countedNumbers = counted.Select(t => t.Number).ToArray();
        var requirement = differentClasses
            ? $"{Format.Count(required)} in different classes are required"
            : $"{Format.Count(required)} of different drugs are required";
        var findings = $"{Describe(counted, failedClasses, qualifying, differentClasses)}; {requirement}";

        if (trials.Count == 0)
        {
            return new(TrdStatus.Undetermined, 0, required, differentClasses, [], [], [],
                new(ReasonCodes.TrialsMissing,
                    "No antidepressant trials are recorded, so treatment resistance cannot be judged.",
                    EvaluationSources.MissingInformation, ReasonEffect.NeedsReview));
        }

        if (qualifying >= required)
        {
            return new(TrdStatus.Met, qualifying, required, differentClasses, failedClasses, countedNumbers, undetermined,
                new(ReasonCodes.TrdMet, $"Treatment-resistant depression is established. {findings}.", source, ReasonEffect.Information));
        }

        // Each unclear trial could at best add one more drug or class: an upper bound on what review can change.
        if (qualifying + undetermined.Length >= required)
        {
            var pending = trials.Where(t => t.Contribution == TrdContribution.Undetermined).Select(t => t.Subject).ToArray();
            return new(TrdStatus.Undetermined, qualifying, required, differentClasses, failedClasses, countedNumbers, undetermined,
                new(ReasonCodes.TrdUndetermined,
                    $"Treatment resistance is not settled. {findings}. {Format.Capitalise(string.Join(", ", pending))} {(pending.Length == 1 ? "needs" : "need")} review and could change this.",
                    source, ReasonEffect.NeedsReview));
        }

        return new(TrdStatus.NotMet, qualifying, required, differentClasses, failedClasses, countedNumbers, undetermined,
            new(ReasonCodes.TrdNotMet, $"Treatment resistance is not established. {findings}.", source, ReasonEffect.Blocks));
    }

    private static string Describe(List<TrialAssessment> counted, AntidepressantClass[] classes, int qualifying, bool differentClasses)
    {
        if (counted.Count == 0)
        {
            return "No adequate failed trial in the current episode";
        }

        var trials = string.Join(", ", counted.Select(t => t.Subject));
        var coverage = differentClasses
            ? $"{Format.Plural(classes.Length, "class", "classes")} ({string.Join(", ", classes.Select(c => c.DisplayName()))})"
            : Format.Plural(qualifying, "distinct drug", "distinct drugs");
        return $"Adequate failed trials in the current episode: {trials}, covering {coverage}";
    }
}
