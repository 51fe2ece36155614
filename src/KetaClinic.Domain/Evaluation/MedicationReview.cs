namespace KetaClinic.Domain.Evaluation;

/// <summary>A medication the patient takes now.</summary>
public sealed record CurrentMedication(string Name, decimal? DailyDoseMg);

/// <summary>Why a current medication is flagged (REFERENCE.md §4).</summary>
public enum MedicationConcern
{
    RaisesBloodPressure,
    AddsSedation,
    BluntsKetamineEffect,

    /// <summary>Total benzodiazepine load above the diazepam-equivalent threshold.</summary>
    BenzodiazepineLoadAboveThreshold,
}

public sealed record MedicationFlag(string Medication, MedicationConcern Concern, string Source);

/// <summary>One benzodiazepine's share of the daily load.</summary>
public sealed record BenzodiazepineDose(string Medication, decimal DailyDoseMg, decimal DiazepamEquivalentMgPerDay, string Source);

/// <summary>The flags raised by the current medication list.</summary>
/// <param name="DiazepamEquivalentMgPerDay">Total benzodiazepine load; null when a benzodiazepine's dose is
/// missing, so the total is unknown.</param>
public sealed record MedicationReviewResult(
    IReadOnlyList<MedicationFlag> Flags,
    IReadOnlyList<BenzodiazepineDose> Benzodiazepines,
    decimal? DiazepamEquivalentMgPerDay,
    IReadOnlyList<EvaluationReason> Reasons);

/// <summary>Flags concomitant medications: benzodiazepine load in diazepam-equivalents, MAOIs and
/// psychostimulants (blood pressure), opioids and sedatives (sedation), lamotrigine (blunted effect).</summary>
public static class MedicationReview
{
    private const decimal DiazepamReferenceDoseMg = 10m;

    private const string MaoiBloodPressureSource =
        "Esketamine prescribing information: MAOIs raise blood pressure, monitor closely (REFERENCE.md §4)";

    private const string BenzodiazepineSedationSource =
        "Esketamine prescribing information: benzodiazepines and other CNS depressants add sedation (REFERENCE.md §4)";

    public static MedicationReviewResult Review(
        IReadOnlyList<CurrentMedication> medications,
        ConcomitantMedicationTable table,
        AntidepressantCatalogue antidepressants,
        EligibilitySettings settings)
    {
        ArgumentNullException.ThrowIfNull(medications);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(antidepressants);
        ArgumentNullException.ThrowIfNull(settings);

        var flags = new List<MedicationFlag>();
        var reasons = new List<EvaluationReason>();
        var benzodiazepines = new List<BenzodiazepineDose>();
        var loadKnown = true;

        foreach (var medication in medications)
        {
            var name = medication.Name?.Trim() ?? string.Empty;
            var row = table.Find(name);
            if (row is null)
            {
                // MAOI antidepressants live in the antidepressant catalogue, not in the concomitant table.
                var antidepressant = antidepressants.Find(name);
                if (antidepressant?.Class == AntidepressantClass.Maoi)
                {
                    Flag(name, MedicationConcern.RaisesBloodPressure, MaoiBloodPressureSource,
                        ReasonCodes.MedicationRaisesBloodPressure,
                        $"{name} is an MAOI, which raises blood pressure with ketamine; monitor blood pressure closely.");
                }

                continue;
            }

            switch (row.Category)
            {
                case ConcomitantCategory.Benzodiazepine:
                    loadKnown &= AddBenzodiazepine(medication, name, row);
                    Flag(name, MedicationConcern.AddsSedation, BenzodiazepineSedationSource, ReasonCodes.MedicationAddsSedation,
                        $"{name} is a benzodiazepine and adds sedation to ketamine.");
                    break;
                case ConcomitantCategory.SedativeHypnotic:
                    Flag(name, MedicationConcern.AddsSedation, row.Source, ReasonCodes.MedicationAddsSedation,
                        $"{name} is a sedative and adds sedation to ketamine.");
                    break;
                case ConcomitantCategory.Opioid:
                    Flag(name, MedicationConcern.AddsSedation, row.Source, ReasonCodes.MedicationAddsSedation,
                        $"{name} is an opioid and adds sedation and respiratory depression to ketamine.");
                    break;
                case ConcomitantCategory.Psychostimulant:
                    Flag(name, MedicationConcern.RaisesBloodPressure, row.Source, ReasonCodes.MedicationRaisesBloodPressure,
                        $"{name} is a psychostimulant, which raises blood pressure with ketamine; monitor blood pressure closely.");
                    break;
                case ConcomitantCategory.Maoi:
                    Flag(name, MedicationConcern.RaisesBloodPressure, row.Source, ReasonCodes.MedicationRaisesBloodPressure,
                        $"{name} inhibits monoamine oxidase, which raises blood pressure with ketamine; monitor blood pressure closely.");
                    break;
                case ConcomitantCategory.BluntsKetamineEffect:
                    Flag(name, MedicationConcern.BluntsKetamineEffect, row.Source, ReasonCodes.MedicationBluntsKetamineEffect,
                        $"{name} may blunt ketamine's acute effects.");
                    break;
                default:
                    throw new InvalidOperationException($"Unknown concomitant category {row.Category}.");
            }
        }

        decimal? total = loadKnown ? benzodiazepines.Sum(b => b.DiazepamEquivalentMgPerDay) : null;
        if (total is not null && benzodiazepines.Count > 0)
        {
            JudgeLoad(total.Value);
        }

        return new MedicationReviewResult(flags, benzodiazepines, total, reasons);

        void Flag(string name, MedicationConcern concern, string source, string code, string sentence)
        {
            flags.Add(new MedicationFlag(name, concern, source));
            reasons.Add(new EvaluationReason(code, Format.Capitalise(sentence), source, ReasonEffect.Caution, name));
        }

        bool AddBenzodiazepine(CurrentMedication medication, string name, ConcomitantMedication row)
        {
            if (medication.DailyDoseMg is not { } dose || dose <= 0m)
            {
                reasons.Add(new EvaluationReason(ReasonCodes.BenzodiazepineDoseMissing,
                    $"{Format.Capitalise(name)} is a benzodiazepine but has no valid daily dose, so the diazepam-equivalent load cannot be worked out.",
                    EvaluationSources.MissingInformation, ReasonEffect.NeedsReview, name));
                return false;
            }

            var equivalent = dose * DiazepamReferenceDoseMg / row.DoseEquivalentToDiazepam10Mg!.Value;
            benzodiazepines.Add(new BenzodiazepineDose(name, dose, equivalent, row.Source));
            return true;
        }

        void JudgeLoad(decimal load)
        {
            var threshold = settings.BenzodiazepineDiazepamEquivalentThresholdMgPerDay;
            var parts = string.Join(", ", benzodiazepines.Select(b => $"{b.Medication} {Format.Mg(b.DailyDoseMg)} = {Format.Mg(Math.Round(b.DiazepamEquivalentMgPerDay, 2))}"));
            var conversionSource = string.Join("; ", benzodiazepines.Select(b => b.Source).Distinct(StringComparer.Ordinal));
            if (load > threshold.Value)
            {
                flags.Add(new MedicationFlag(string.Join(", ", benzodiazepines.Select(b => b.Medication)),
                    MedicationConcern.BenzodiazepineLoadAboveThreshold, threshold.Source));
                reasons.Add(new EvaluationReason(ReasonCodes.BenzodiazepineAboveThreshold,
                    $"Benzodiazepine load is {Format.Mg(Math.Round(load, 2))} a day diazepam-equivalent ({parts}), above {Format.Mg(threshold.Value)}; this was linked to a weaker response to ketamine.",
                    $"{threshold.Source}; conversion: {conversionSource}", ReasonEffect.Caution, "benzodiazepines"));
            }
            else
            {
                reasons.Add(new EvaluationReason(ReasonCodes.BenzodiazepineWithinThreshold,
                    $"Benzodiazepine load is {Format.Mg(Math.Round(load, 2))} a day diazepam-equivalent ({parts}), not above {Format.Mg(threshold.Value)}.",
                    $"{threshold.Source}; conversion: {conversionSource}", ReasonEffect.Information, "benzodiazepines"));
            }
        }
    }
}
