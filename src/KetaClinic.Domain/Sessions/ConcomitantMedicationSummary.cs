using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// The REMS form's medication questions answered from the current medication list, through the evaluation module's
/// tables (concomitant medications and the antidepressant catalogue for MAOIs), together with its review flags.
/// </summary>
public sealed record ConcomitantMedicationSummary(
    bool Benzodiazepines,
    bool NonBenzodiazepineSedativeHypnotics,
    bool Psychostimulants,
    bool Maois,
    bool Opioids,
    MedicationReviewResult Review)
{
    public static ConcomitantMedicationSummary Of(IReadOnlyList<CurrentMedication> medications, EligibilityRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(medications);
        ArgumentNullException.ThrowIfNull(rules);
        var review = MedicationReview.Review(medications, rules.ConcomitantMedications, rules.Antidepressants, rules.Settings);
        var categories = medications
            .Select(m => rules.ConcomitantMedications.Find(m.Name)?.Category)
            .Where(c => c is not null)
            .Select(c => c!.Value)
            .ToHashSet();
        var maoiAntidepressant = medications.Any(m => rules.Antidepressants.Find(m.Name)?.Class == AntidepressantClass.Maoi);
        return new(
            categories.Contains(ConcomitantCategory.Benzodiazepine),
            categories.Contains(ConcomitantCategory.SedativeHypnotic),
            categories.Contains(ConcomitantCategory.Psychostimulant),
            maoiAntidepressant || categories.Contains(ConcomitantCategory.Maoi),
            categories.Contains(ConcomitantCategory.Opioid),
            review);
    }

    /// <summary>"lorazepam (adds sedation), phenelzine (raises blood pressure)", or "none flagged".</summary>
    public string FlagWords => Review.Flags.Count == 0
        ? "none flagged"
        : string.Join(", ", Review.Flags.Select(f => $"{f.Medication} ({Words(f.Concern)})"));

    private static string Words(MedicationConcern concern) => concern switch
    {
        MedicationConcern.RaisesBloodPressure => "raises blood pressure",
        MedicationConcern.AddsSedation => "adds sedation",
        MedicationConcern.BluntsKetamineEffect => "may blunt the effect",
        MedicationConcern.BenzodiazepineLoadAboveThreshold => "benzodiazepine load above the threshold",
        _ => concern.ToString(),
    };
}
