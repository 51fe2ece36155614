using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

/// <summary>An evaluation input with at least one piece of required information missing.</summary>
public sealed record InputMissingInformation(EligibilityInput Input, IReadOnlyList<string> Missing)
{
    public override string ToString() => $"missing: {string.Join(", ", Missing)}; input: {EvaluationGenerators.Describe(Input)}";
}

/// <summary>An evaluation input with an absolute contraindication answered yes.</summary>
public sealed record InputWithAbsoluteContraindication(EligibilityInput Input, Contraindication Item)
{
    public override string ToString() => $"{Item}; input: {EvaluationGenerators.Describe(Input)}";
}

/// <summary>Any evaluation input, complete or not.</summary>
public sealed record AnyInput(EligibilityInput Input)
{
    public override string ToString() => EvaluationGenerators.Describe(Input);
}

public static class EvaluationGenerators
{
    private static readonly DateOnly Today = new(2025, 3, 10);

    private static readonly string[] DrugNames =
        [.. AntidepressantCatalogue.Default.Drugs.Select(d => d.Name), "Hypericum extract", "esketamine", ""];

    private static readonly string[] MedicationNames =
        ["lorazepam", "clonazepam", "diazepam", "oxycodone", "zolpidem", "methylphenidate", "phenelzine", "lamotrigine", "levothyroxine", "sertraline"];

    private static readonly Contraindication[] AbsoluteItems = ContraindicationRules.All
        .Where(r => r.Kind == ContraindicationKind.Absolute).Select(r => r.Item).ToArray();

    public static Arbitrary<InputMissingInformation> MissingInformation() =>
        (from input in CompleteInput()
         from gaps in Gen.Frequency(
             (3, Gen.Elements(Enum.GetValues<Gap>()).Select(g => new[] { g })),
             (1, Gen.NonEmptyListOf(Gen.Elements(Enum.GetValues<Gap>())).Select(g => g.Distinct().ToArray())))
         from item in Gen.Elements(Enum.GetValues<Contraindication>())
         select new InputMissingInformation(gaps.Aggregate(input, (i, gap) => Remove(i, gap, item)), gaps.Select(g => g.ToString()).ToArray()))
        .ToArbitrary();

    public static Arbitrary<InputWithAbsoluteContraindication> AbsoluteContraindication() =>
        (from input in AnyEligibilityInput()
         from item in Gen.Elements(AbsoluteItems)
         from justified in Gen.Elements(true, false)
         let screening = input.Screening.With(item, ScreeningAnswer.Yes)
         select new InputWithAbsoluteContraindication(
             input with { Screening = justified ? screening.WithJustification(item, "physician accepts the risk") : screening },
             item))
        .ToArbitrary();

    public static Arbitrary<AnyInput> Any() => AnyEligibilityInput().Select(i => new AnyInput(i)).ToArbitrary();

    public static Arbitrary<MaudsleyInputs> Maudsley() =>
        (from months in Gen.Choose(0, 600)
         from severity in Gen.Elements(Enum.GetValues<EpisodeSeverity>())
         from failed in Gen.Choose(0, 60)
         from augmentation in Gen.Elements(true, false)
         from ect in Gen.Elements(true, false)
         select new MaudsleyInputs(months, severity, failed, augmentation, ect))
        .ToArbitrary();

    public static string Describe(EligibilityInput input) =>
        $"onset {input.CurrentEpisodeOnset}, severity {input.BaselineSeverity}, augmentation {input.AugmentationUsed}, ECT {input.Ect}, "
        + $"trials [{string.Join("; ", (input.Trials ?? []).Select(t => $"{t.Drug} {t.MaximumDailyDoseMg} mg {t.WeeksAtMaximumDose} wk {t.Outcome} current={t.InCurrentEpisode}"))}], "
        + $"screen [{string.Join(", ", input.Screening.Answers.Where(a => a.Value != ScreeningAnswer.No).Select(a => $"{a.Key}={a.Value}"))}], "
        + $"medications {(input.CurrentMedications is null ? "not recorded" : string.Join(", ", input.CurrentMedications.Select(m => $"{m.Name} {m.DailyDoseMg}")))}";

    private enum Gap
    {
        NoTrials,
        NullTrials,
        EpisodeOnset,
        BaselineSeverity,
        Augmentation,
        Ect,
        Medications,
        ScreeningAnswer,
    }

    private static EligibilityInput Remove(EligibilityInput input, Gap gap, Contraindication item) => gap switch
    {
        Gap.NoTrials => input with { Trials = [] },
        Gap.NullTrials => input with { Trials = null },
        Gap.EpisodeOnset => input with { CurrentEpisodeOnset = null },
        Gap.BaselineSeverity => input with { BaselineSeverity = null },
        Gap.Augmentation => input with { AugmentationUsed = null },
        Gap.Ect => input with { Ect = null },
        Gap.Medications => input with { CurrentMedications = null },
        Gap.ScreeningAnswer => input with { Screening = input.Screening.With(item, ScreeningAnswer.Unknown) },
        _ => throw new ArgumentOutOfRangeException(nameof(gap)),
    };

    /// <summary>Inputs with every field recorded, shaped like real candidates so that many are eligible
    /// before information is taken away.</summary>
    private static Gen<EligibilityInput> CompleteInput() =>
        from months in Gen.Choose(0, 120)
        from severity in Gen.Elements(Enum.GetValues<EpisodeSeverity>())
        from trialCount in Gen.Choose(2, 6)
        from trials in Gen.ListOf(CandidateTrial(), trialCount)
        from augmentation in Gen.Elements(true, false)
        from ect in Gen.Elements(Enum.GetValues<EctHistory>())
        from screening in Screening(allowUnknown: false)
        from medicationCount in Gen.Choose(0, 4)
        from medications in Gen.ListOf(Medication(), medicationCount)
        select new EligibilityInput
        {
            EvaluatedOn = Today,
            CurrentEpisodeOnset = Today.AddMonths(-months),
            BaselineSeverity = severity,
            Trials = [.. trials],
            AugmentationUsed = augmentation,
            Ect = ect,
            Screening = screening,
            CurrentMedications = [.. medications],
        };

    /// <summary>Inputs where anything may be missing or odd.</summary>
    private static Gen<EligibilityInput> AnyEligibilityInput() =>
        from onsetDays in Gen.Choose(-30, 4000)
        from hasOnset in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from severity in Nullable(Gen.Elements(Enum.GetValues<EpisodeSeverity>()))
        from trialCount in Gen.Choose(0, 6)
        from trials in Gen.ListOf(Gen.Frequency((1, AnyTrial()), (3, CandidateTrial())), trialCount)
        from augmentation in Nullable(Gen.Elements(true, false))
        from ect in Nullable(Gen.Elements(Enum.GetValues<EctHistory>()))
        from screening in Screening(allowUnknown: true)
        from medicationCount in Gen.Choose(0, 4)
        from medications in Gen.ListOf(Medication(), medicationCount)
        from medicationsRecorded in Gen.Elements(true, false)
        select new EligibilityInput
        {
            EvaluatedOn = Today,
            CurrentEpisodeOnset = hasOnset ? Today.AddDays(-onsetDays) : null,
            BaselineSeverity = severity,
            Trials = [.. trials],
            AugmentationUsed = augmentation,
            Ect = ect,
            Screening = screening,
            CurrentMedications = medicationsRecorded ? [.. medications] : null,
        };

    /// <summary>A fully recorded trial of a catalogue drug, mostly adequate and failed, with doses and
    /// durations spread around the limits.</summary>
    private static Gen<AntidepressantTrial> CandidateTrial() =>
        from drug in Gen.Elements(AntidepressantCatalogue.Default.Drugs.ToArray())
        from dosePercent in Gen.Frequency((1, Gen.Choose(50, 99)), (4, Gen.Choose(100, 300)))
        from weeks in Gen.Frequency((1, Gen.Choose(0, 59)), (4, Gen.Choose(60, 300)))
        from outcome in Gen.Frequency(
            (6, Gen.Constant(TrialOutcome.NoResponse)),
            (2, Gen.Constant(TrialOutcome.PartialResponse)),
            (1, Gen.Elements(TrialOutcome.Response, TrialOutcome.StoppedForSideEffects, TrialOutcome.StoppedForNonAdherence)))
        from current in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new AntidepressantTrial(drug.Name, drug.MinimumAdequateDailyDoseMg * dosePercent / 100m, weeks / 10m, outcome, current);

    private static Gen<AntidepressantTrial> AnyTrial() =>
        from drug in Gen.Elements(DrugNames)
        from dose in Nullable(Gen.Choose(-100, 6000).Select(d => d / 10m))
        from weeks in Nullable(Gen.Choose(-10, 300).Select(w => w / 10m))
        from outcome in Nullable(Gen.Elements(Enum.GetValues<TrialOutcome>()))
        from current in Nullable(Gen.Elements(true, false))
        from confirmed in Gen.Elements(true, false)
        from assignedClass in Nullable(Gen.Elements(Enum.GetValues<AntidepressantClass>()))
        select new AntidepressantTrial(drug, dose, weeks, outcome, current)
        {
            PhysicianDoseConfirmation = confirmed ? "confirmed adequate" : null,
            PhysicianAssignedClass = assignedClass,
        };

    private static Gen<ContraindicationScreening> Screening(bool allowUnknown)
    {
        // Mostly "no", so that whole screens come out clear often enough to matter.
        var answers = Gen.Frequency(
            (30, Gen.Constant(ScreeningAnswer.No)),
            (1, Gen.Constant(ScreeningAnswer.Yes)),
            (allowUnknown ? 1 : 0, Gen.Constant(ScreeningAnswer.Unknown)));
        var items = Enum.GetValues<Contraindication>();
        return from chosen in Gen.ArrayOf(answers, items.Length)
               from justified in Gen.ArrayOf(Gen.Elements(true, false), items.Length)
               select new ContraindicationScreening(
                   items.Select((item, i) => (item, answer: chosen[i])).ToDictionary(p => p.item, p => p.answer),
                   items.Where((_, i) => justified[i]).ToDictionary(item => item, _ => "physician's justification"));
    }

    private static Gen<CurrentMedication> Medication() =>
        from name in Gen.Elements(MedicationNames)
        from dose in Nullable(Gen.Choose(0, 400).Select(d => d / 10m))
        select new CurrentMedication(name, dose);

    private static Gen<T?> Nullable<T>(Gen<T> gen)
        where T : struct =>
        Gen.Frequency((4, gen.Select(v => (T?)v)), (1, Gen.Constant((T?)null)));
}

[Properties(Arbitrary = [typeof(EvaluationGenerators)], MaxTest = 300)]
public class EligibilityProperties
{
    [Property]
    public bool Missing_information_never_yields_eligible(InputMissingInformation sample)
    {
        var result = Fixtures.Evaluate(sample.Input);

        return result.Decision != EligibilityDecision.Eligible;
    }

    [Property]
    public bool Missing_information_is_named_in_a_reason_unless_treatment_is_ruled_out(InputMissingInformation sample)
    {
        var result = Fixtures.Evaluate(sample.Input);

        return result.Decision == EligibilityDecision.NotEligible
            || result.ReasonsWith(ReasonEffect.NeedsReview).Any();
    }

    [Property]
    public bool Any_absolute_contraindication_always_yields_not_eligible(InputWithAbsoluteContraindication sample)
    {
        var result = Fixtures.Evaluate(sample.Input);

        return result.Decision == EligibilityDecision.NotEligible
            && result.Reasons.Any(r => r.Code == ReasonCodes.AbsoluteContraindication && r.Subject == ContraindicationRules.For(sample.Item).Code);
    }

    [Property]
    public bool Maudsley_total_is_always_within_three_to_fifteen(MaudsleyInputs inputs)
    {
        var score = MaudsleyStaging.Score(inputs);

        return score.Total is >= 3 and <= 15
            && score.Total == score.DurationPoints + score.SeverityPoints + score.FailedAntidepressantPoints + score.AugmentationPoints + score.EctPoints
            && score.Band == MaudsleyStaging.BandFor(score.Total);
    }

    [Property]
    public bool The_decision_follows_the_strongest_reason(AnyInput sample)
    {
        var result = Fixtures.Evaluate(sample.Input);
        var expected = result.Reasons.Any(r => r.Effect == ReasonEffect.Blocks) ? EligibilityDecision.NotEligible
            : result.Reasons.Any(r => r.Effect == ReasonEffect.NeedsReview) ? EligibilityDecision.NeedsReview
            : EligibilityDecision.Eligible;

        return result.Decision == expected;
    }

    [Property]
    public bool Eligible_always_rests_on_established_trd_and_an_answered_screen(AnyInput sample)
    {
        var result = Fixtures.Evaluate(sample.Input);
        var screening = sample.Input.Screening;

        return result.Decision != EligibilityDecision.Eligible
            || (result.Trd.Status == TrdStatus.Met
                && result.Maudsley is not null
                && Enum.GetValues<Contraindication>().All(c => screening.AnswerFor(c) != ScreeningAnswer.Unknown));
    }

    [Property]
    public bool Every_reason_names_its_code_sentence_and_source(AnyInput sample)
    {
        var result = Fixtures.Evaluate(sample.Input);

        return result.Reasons.All(r =>
            !string.IsNullOrWhiteSpace(r.Code) && !string.IsNullOrWhiteSpace(r.Sentence) && !string.IsNullOrWhiteSpace(r.Source));
    }
}
