using System.Collections.ObjectModel;

namespace KetaClinic.Domain.Evaluation;

/// <summary>Screened conditions from REFERENCE.md §4.</summary>
public enum Contraindication
{
    AneurysmalVascularDisease,
    ArteriovenousMalformation,
    IntracerebralHaemorrhageHistory,
    KetamineHypersensitivity,
    HypertensiveEncephalopathyHistory,
    UncontrolledHypertension,
    Pregnancy,
    HepaticImpairment,
    InterstitialOrUlcerativeCystitis,
    CognitiveImpairment,
    PsychosisHistory,
    SubstanceUseDisorderHistory,
}

public enum ContraindicationKind
{
    /// <summary>Blocks treatment.</summary>
    Absolute,

    /// <summary>Needs a physician's written justification to proceed.</summary>
    Relative,
}

/// <summary>A screened condition with its stable code, plain-language name and source.</summary>
public sealed record ContraindicationRule(
    Contraindication Item,
    ContraindicationKind Kind,
    string Code,
    string Description,
    string Source);

public static class ContraindicationRules
{
    private const string LabelContraindications =
        "Esketamine (Spravato) US prescribing information, Contraindications (REFERENCE.md §4)";

    private const string LabelWarnings =
        "Esketamine (Spravato) US prescribing information, Warnings and Precautions (REFERENCE.md §4)";

    private const string ApaConsensus =
        "Sanacora et al. 2017, APA consensus statement on ketamine for mood disorders (JAMA Psychiatry 74:399); clinics' candidate criteria (REFERENCE.md §4)";

    public static IReadOnlyList<ContraindicationRule> All { get; } =
    [
        new(Contraindication.AneurysmalVascularDisease, ContraindicationKind.Absolute, "aneurysmal-vascular-disease",
            "aneurysmal vascular disease (aorta, intracranial or peripheral arteries)", LabelContraindications),
        new(Contraindication.ArteriovenousMalformation, ContraindicationKind.Absolute, "arteriovenous-malformation",
            "arteriovenous malformation", LabelContraindications),
        new(Contraindication.IntracerebralHaemorrhageHistory, ContraindicationKind.Absolute, "intracerebral-haemorrhage-history",
            "a history of intracerebral haemorrhage", LabelContraindications),
        new(Contraindication.KetamineHypersensitivity, ContraindicationKind.Absolute, "ketamine-hypersensitivity",
            "hypersensitivity to ketamine, esketamine or an excipient", LabelContraindications),
        new(Contraindication.HypertensiveEncephalopathyHistory, ContraindicationKind.Relative, "hypertensive-encephalopathy-history",
            "a history of hypertensive encephalopathy", LabelWarnings),
        new(Contraindication.UncontrolledHypertension, ContraindicationKind.Relative, "uncontrolled-hypertension",
            "uncontrolled hypertension", LabelWarnings),
        new(Contraindication.Pregnancy, ContraindicationKind.Relative, "pregnancy",
            "pregnancy (embryo-fetal toxicity)", LabelWarnings),
        new(Contraindication.HepaticImpairment, ContraindicationKind.Relative, "hepatic-impairment",
            "hepatic impairment", LabelWarnings),
        new(Contraindication.InterstitialOrUlcerativeCystitis, ContraindicationKind.Relative, "interstitial-or-ulcerative-cystitis",
            "interstitial or ulcerative cystitis", LabelWarnings),
        new(Contraindication.CognitiveImpairment, ContraindicationKind.Relative, "cognitive-impairment",
            "cognitive impairment", LabelWarnings),
        new(Contraindication.PsychosisHistory, ContraindicationKind.Relative, "psychosis-history",
            "a history of psychosis", ApaConsensus),
        new(Contraindication.SubstanceUseDisorderHistory, ContraindicationKind.Relative, "substance-use-disorder-history",
            "a history of substance use disorder", ApaConsensus + "; ketamine is Schedule III with misuse potential (REFERENCE.md §7)"),
    ];

    public static ContraindicationRule For(Contraindication item) => All.Single(r => r.Item == item);
}

/// <summary>Answers to the contraindication screen, and the physician's written justifications for
/// relative contraindications. A question without an answer is <see cref="ScreeningAnswer.Unknown"/>.</summary>
public sealed record ContraindicationScreening
{
    public ContraindicationScreening(
        IReadOnlyDictionary<Contraindication, ScreeningAnswer> answers,
        IReadOnlyDictionary<Contraindication, string>? justifications = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        Answers = new ReadOnlyDictionary<Contraindication, ScreeningAnswer>(answers.ToDictionary());
        Justifications = new ReadOnlyDictionary<Contraindication, string>(
            (justifications ?? new Dictionary<Contraindication, string>()).ToDictionary());
    }

    /// <summary>No question answered yet.</summary>
    public static ContraindicationScreening Unanswered { get; } = new(new Dictionary<Contraindication, ScreeningAnswer>());

    /// <summary>Every question answered "no".</summary>
    public static ContraindicationScreening AllNo { get; } =
        new(Enum.GetValues<Contraindication>().ToDictionary(c => c, _ => ScreeningAnswer.No));

    public IReadOnlyDictionary<Contraindication, ScreeningAnswer> Answers { get; }

    /// <summary>Physician's written justification per relative contraindication.</summary>
    public IReadOnlyDictionary<Contraindication, string> Justifications { get; }

    public ScreeningAnswer AnswerFor(Contraindication item) => Answers.GetValueOrDefault(item, ScreeningAnswer.Unknown);

    /// <summary>The written justification, or null when none (or only blanks) was given.</summary>
    public string? JustificationFor(Contraindication item) =>
        Justifications.TryGetValue(item, out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    public ContraindicationScreening With(Contraindication item, ScreeningAnswer answer)
    {
        var answers = Answers.ToDictionary();
        answers[item] = answer;
        return new(answers, Justifications);
    }

    public ContraindicationScreening WithJustification(Contraindication item, string justification)
    {
        var justifications = Justifications.ToDictionary();
        justifications[item] = justification;
        return new(Answers, justifications);
    }
}
