using System.Globalization;
using KetaClinic.App.Features.Patients;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Patients;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>
/// Checks an evaluation form field by field (bad input gets a message naming the field, nothing is guessed) and turns it
/// into the decision support's input. The decision itself is the domain's <see cref="EligibilityEvaluator"/>.
/// </summary>
public static class EvaluationRules
{
    public const int MaxDiagnoses = 10;
    public const int MaxTrials = 30;
    public const int MaxMedications = 50;
    public const int MaxBaselineScales = 10;

    public const string PreScreeningUnconfirmed = "pre-screening-unconfirmed";

    public const string PreScreeningSource =
        "Issue 4: the patient's pre-screening answers are a starting point the physician confirms; they are never accepted automatically";

    // Data-entry bounds, not clinical thresholds: no antidepressant is taken at more than 1 g a day, and no current
    // medication at more than 10 g a day, so larger numbers are typing or unit errors.
    private const decimal MaxTrialDoseMg = 1000m;
    private const decimal MaxMedicationDoseMg = 10_000m;
    private const decimal MaxWeeks = 520m;

    // Plausible vital signs at a seated office visit; outside them the reading is a typing error.
    private const int MinSystolic = 50;
    private const int MaxSystolic = 300;
    private const int MinDiastolic = 20;
    private const int MaxDiastolic = 200;
    private const int MinHeartRate = 20;
    private const int MaxHeartRate = 250;

    public static IReadOnlyList<string> Severities { get; } = Codes<EpisodeSeverity>();

    public static IReadOnlyList<string> TrialOutcomes { get; } = Codes<TrialOutcome>();

    public static IReadOnlyList<string> EctHistories { get; } = Codes<EctHistory>();

    public static IReadOnlyList<string> ScreeningAnswers { get; } = ["yes", "no", "unknown"];

    /// <summary>Validates the form and builds the decision support's input; the input is null when there are errors.</summary>
    public static (EligibilityInput? Input, IReadOnlyList<FieldError> Errors) ToInput(EvaluationForm form, DateOnly today, AntidepressantCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(catalogue);
        var v = new Validator();
        var evaluatedOn = form.EvaluatedOn ?? today;
        if (evaluatedOn > today)
        {
            v.Add("evaluatedOn", $"must not be in the future (today is {Date(today)}).");
        }
        else if (evaluatedOn < today.AddYears(-1))
        {
            v.Add("evaluatedOn", "must be within the last year; an older evaluation cannot support a decision now.");
        }
        Diagnoses(v, form.Diagnoses);
        if (form.EpisodeOnset is { } onset)
        {
            if (onset > evaluatedOn)
            {
                v.Add("episodeOnset", $"{Date(onset)} is after the evaluation date ({Date(evaluatedOn)}).");
            }
            else if (onset.Year < PatientRules.OldestBirthYear)
            {
                v.Add("episodeOnset", $"must be in {PatientRules.OldestBirthYear} or later.");
            }
        }
        var severity = Code<EpisodeSeverity>(v, "severity", form.Severity);
        var trials = Trials(v, form, evaluatedOn, catalogue);
        v.Text("augmentationDetails", form.AugmentationDetails, 500, required: false);
        var ect = Code<EctHistory>(v, "ect", form.Ect);
        v.MultilineText("psychotherapy", form.Psychotherapy, 2000, required: false);
        v.MultilineText("medicalHistory", form.MedicalHistory, 4000, required: false);
        v.MultilineText("notes", form.Notes, 4000, required: false);
        var medications = Medications(v, form.CurrentMedications);
        var screening = Screening(v, form);
        Vitals(v, form);
        if (form.BaselineResponseIds.Count > MaxBaselineScales)
        {
            v.Add("baselineResponseIds", $"at most {MaxBaselineScales} rating scales can be linked.");
        }
        if (!v.IsValid)
        {
            return (null, v.Errors);
        }
        return (new EligibilityInput
        {
            EvaluatedOn = evaluatedOn,
            CurrentEpisodeOnset = form.EpisodeOnset,
            BaselineSeverity = severity,
            Trials = trials,
            AugmentationUsed = form.AugmentationUsed,
            Ect = ect,
            Screening = screening,
            CurrentMedications = medications,
        }, []);
    }

    /// <summary>
    /// The decision support's answer for a valid form, plus one needs-review reason per pre-screening entry not yet confirmed:
    /// such entries are shown in the trace but can never make the patient eligible.
    /// </summary>
    public static AssessmentView Assess(EligibilityInput input, EvaluationForm form, EligibilityRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = EligibilityEvaluator.Evaluate(input, rules);
        var reasons = result.Reasons.Select(r => new ReasonView(r.Code, Kebab(r.Effect.ToString()), r.Sentence, r.Source, r.Subject)).ToList();
        for (var i = 0; i < form.Trials.Count; i++)
        {
            if (form.Trials[i].FromPreScreening)
            {
                var subject = $"trial {(i + 1).ToString(CultureInfo.InvariantCulture)} ({form.Trials[i].Drug})";
                reasons.Add(new ReasonView(PreScreeningUnconfirmed, "needs-review",
                    $"Trial {(i + 1).ToString(CultureInfo.InvariantCulture)} ({form.Trials[i].Drug}) comes from the patient's pre-screening and is not confirmed by the physician yet.",
                    PreScreeningSource, subject));
            }
        }
        if (form.CurrentMedicationsFromPreScreening)
        {
            reasons.Add(new ReasonView(PreScreeningUnconfirmed, "needs-review",
                "The current medication list comes from the patient's pre-screening and is not confirmed by the physician yet.",
                PreScreeningSource, "current medications"));
        }
        var pending = reasons.Any(r => r.Code == PreScreeningUnconfirmed);
        var decision = result.Decision == EligibilityDecision.Eligible && pending ? EligibilityDecision.NeedsReview : result.Decision;
        return new AssessmentView(
            decision.Code(),
            result.EvaluatedOn,
            result.ExpiresOn,
            reasons,
            Kebab(result.Trd.Status.ToString()),
            result.EpisodeDurationMonths,
            result.Maudsley?.Total,
            result.Maudsley?.Band.Label(),
            result.ThaseRush?.Label(),
            result.Trials.Select(t => new TrialAssessmentView(t.Number, t.Drug, t.CatalogueEntry?.Name, t.Class?.Code(), Kebab(t.Adequacy.ToString()), Kebab(t.Contribution.ToString()))).ToList(),
            result.Medications?.DiazepamEquivalentMgPerDay is { } load ? Math.Round(load, 2) : null);
    }

    /// <summary>Multi-line free text: line breaks allowed, other control characters and overlong text refused.</summary>
    internal static string? MultilineText(this Validator v, string field, string? value, int maxLength, bool required)
    {
        var normalized = value?.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var flat = v.Text(field, normalized?.Replace('\n', ' '), maxLength, required);
        return flat is null ? null : normalized!.Trim();
    }

    internal static string Kebab(string pascal) => PatientMapping.Kebab(pascal);

    private static List<string> Codes<T>()
        where T : struct, Enum => Enum.GetNames<T>().Select(Kebab).ToList();

    private static T? Code<T>(Validator v, string field, string? code)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }
        if (PatientMapping.TryParseKebab<T>(code, out var value))
        {
            return value;
        }
        v.Add(field, $"'{Shorten(code)}' is not allowed; use one of {string.Join(", ", Codes<T>())}.");
        return null;
    }

    private static void Diagnoses(Validator v, List<DiagnosisEntry> diagnoses)
    {
        if (diagnoses.Count > MaxDiagnoses)
        {
            v.Add("diagnoses", $"at most {MaxDiagnoses} diagnoses.");
            return;
        }
        for (var i = 0; i < diagnoses.Count; i++)
        {
            var at = $"diagnoses[{i}]";
            var code = v.Text($"{at}.code", diagnoses[i].Code, 8, required: true);
            if (code is not null && !PatientRules.IsIcd10CmCode(PatientRules.NormalizeIcd10(code)))
            {
                v.Add($"{at}.code", $"'{code}' is not an ICD-10-CM code (for example F33.2).");
            }
            v.Text($"{at}.description", diagnoses[i].Description, PatientRules.TextMax, required: false);
        }
    }

    private static List<AntidepressantTrial> Trials(Validator v, EvaluationForm form, DateOnly evaluatedOn, AntidepressantCatalogue catalogue)
    {
        var trials = new List<AntidepressantTrial>();
        if (form.Trials.Count > MaxTrials)
        {
            v.Add("trials", $"at most {MaxTrials} trials.");
            return trials;
        }
        for (var i = 0; i < form.Trials.Count; i++)
        {
            var t = form.Trials[i];
            var at = $"trials[{i}]";
            var drug = v.Text($"{at}.drug", t.Drug, 100, required: true);
            var entry = drug is null ? null : catalogue.Find(drug);
            var dose = Dose(v, $"{at}.maxDailyDoseMg", $"{at}.doseUnit", t.MaxDailyDoseMg, t.DoseUnit, MaxTrialDoseMg);
            if (t.WeeksAtDose is { } weeks && weeks is < 0m or > MaxWeeks)
            {
                v.Add($"{at}.weeksAtDose", $"must be between 0 and {MaxWeeks.ToString(CultureInfo.InvariantCulture)} weeks (was {Number(weeks)}).");
            }
            var outcome = Code<TrialOutcome>(v, $"{at}.outcome", t.Outcome);
            AntidepressantClass? assigned = null;
            if (!string.IsNullOrWhiteSpace(t.DrugClass))
            {
                if (!AntidepressantClasses.TryParse(t.DrugClass, out var parsed))
                {
                    v.Add($"{at}.drugClass", $"'{Shorten(t.DrugClass)}' is not a class; use one of {string.Join(", ", AntidepressantClasses.Codes)}.");
                }
                else if (entry is not null && entry.Class != parsed)
                {
                    v.Add($"{at}.drugClass", $"{entry.Name} is {entry.Class.DisplayName()} in the antidepressant table; a class is only given for a drug not in the table.");
                }
                else if (entry is null)
                {
                    assigned = parsed;
                }
            }
            var confirmation = v.Text($"{at}.physicianDoseConfirmation", t.PhysicianDoseConfirmation, 500, required: false);
            if (confirmation is not null && entry is not null)
            {
                v.Add($"{at}.physicianDoseConfirmation",
                    $"is only for a drug not in the antidepressant table; {entry.Name} is judged against the table's minimum of {Number(entry.MinimumAdequateDailyDoseMg)} mg a day.");
            }
            var inEpisode = TrialDates(v, at, t, evaluatedOn, form.EpisodeOnset);
            trials.Add(new AntidepressantTrial(drug, dose, t.WeeksAtDose, outcome, inEpisode)
            {
                PhysicianAssignedClass = assigned,
                PhysicianDoseConfirmation = confirmation,
            });
        }
        return trials;
    }

    // Dates settle "in the current episode" only when they leave no doubt; a stated answer that contradicts them is an error.
    private static bool? TrialDates(Validator v, string at, TrialEntry t, DateOnly evaluatedOn, DateOnly? onset)
    {
        if (t.StartedOn > evaluatedOn)
        {
            v.Add($"{at}.startedOn", $"{Date(t.StartedOn.Value)} is after the evaluation date ({Date(evaluatedOn)}).");
        }
        if (t.EndedOn > evaluatedOn)
        {
            v.Add($"{at}.endedOn", $"{Date(t.EndedOn.Value)} is after the evaluation date ({Date(evaluatedOn)}).");
        }
        if (t.StartedOn is { } start && t.EndedOn is { } end)
        {
            if (end < start)
            {
                v.Add($"{at}.endedOn", $"the trial ends ({Date(end)}) before it starts ({Date(start)}).");
            }
            else if (t.WeeksAtDose is { } weeks && weeks > (end.DayNumber - start.DayNumber) / 7m)
            {
                v.Add($"{at}.weeksAtDose", $"{Number(weeks)} weeks at the dose is longer than the trial itself ({Number(Math.Round((end.DayNumber - start.DayNumber) / 7m, 1))} weeks from start to end).");
            }
        }
        bool? fromDates = onset is not { } o ? null
            : t.StartedOn >= o ? true
            : t.EndedOn < o ? false
            : null;
        if (t.InCurrentEpisode is { } stated && fromDates is { } derived && stated != derived)
        {
            v.Add($"{at}.inCurrentEpisode", derived
                ? $"the trial started on {Date(t.StartedOn!.Value)}, after the episode onset ({Date(onset!.Value)}), so it is in the current episode."
                : $"the trial ended on {Date(t.EndedOn!.Value)}, before the episode onset ({Date(onset!.Value)}), so it is not in the current episode.");
        }
        return t.InCurrentEpisode ?? fromDates;
    }

    private static decimal? Dose(Validator v, string field, string unitField, decimal? dose, string? unit, decimal maximum)
    {
        var normalizedUnit = unit?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(normalizedUnit) && normalizedUnit is not ("mg" or "mg/day" or "mg/d"))
        {
            v.Add(unitField, $"doses are entered in mg a day; convert '{Shorten(unit!)}' to mg (for example 0.5 g = 500 mg, 150 mcg = 0.15 mg).");
            return null;
        }
        if (dose is { } mg && (mg <= 0m || mg > maximum))
        {
            v.Add(field, $"must be more than 0 and at most {Number(maximum)} mg a day (was {Number(mg)}); check the unit.");
            return null;
        }
        return dose;
    }

    private static List<CurrentMedication>? Medications(Validator v, List<MedicationEntry>? medications)
    {
        if (medications is null)
        {
            return null;
        }
        if (medications.Count > MaxMedications)
        {
            v.Add("currentMedications", $"at most {MaxMedications} medications.");
            return null;
        }
        var list = new List<CurrentMedication>();
        for (var i = 0; i < medications.Count; i++)
        {
            var at = $"currentMedications[{i}]";
            var name = v.Text($"{at}.name", medications[i].Name, 100, required: true);
            var dose = Dose(v, $"{at}.dailyDoseMg", $"{at}.doseUnit", medications[i].DailyDoseMg, medications[i].DoseUnit, MaxMedicationDoseMg);
            list.Add(new CurrentMedication(name ?? string.Empty, dose));
        }
        return list;
    }

    private static ContraindicationScreening Screening(Validator v, EvaluationForm form)
    {
        var answers = new Dictionary<Contraindication, ScreeningAnswer>();
        foreach (var (code, answer) in form.Screening)
        {
            var rule = ContraindicationRules.All.FirstOrDefault(r => r.Code == code);
            if (rule is null)
            {
                v.Add($"screening.{Shorten(code)}", $"is not a screening question; the questions are {string.Join(", ", ContraindicationRules.All.Select(r => r.Code))}.");
                continue;
            }
            switch (answer?.Trim().ToLowerInvariant())
            {
                case "yes":
                    answers[rule.Item] = ScreeningAnswer.Yes;
                    break;
                case "no":
                    answers[rule.Item] = ScreeningAnswer.No;
                    break;
                case null or "" or "unknown":
                    break;
                default:
                    v.Add($"screening.{code}", "must be yes, no or unknown.");
                    break;
            }
        }
        var justifications = new Dictionary<Contraindication, string>();
        foreach (var (code, text) in form.Justifications)
        {
            var rule = ContraindicationRules.All.FirstOrDefault(r => r.Code == code);
            var field = $"justifications.{Shorten(code)}";
            var written = v.MultilineText(field, text, 1000, required: false);
            if (written is null)
            {
                continue;
            }
            if (rule is null)
            {
                v.Add(field, "is not a screening question.");
            }
            else if (rule.Kind == ContraindicationKind.Absolute)
            {
                v.Add(field, $"{rule.Description} is an absolute contraindication; no justification can allow treatment.");
            }
            else if (answers.GetValueOrDefault(rule.Item) != ScreeningAnswer.Yes)
            {
                v.Add(field, $"a justification is only written for a relative contraindication answered yes; {rule.Description} is not answered yes.");
            }
            else
            {
                justifications[rule.Item] = written;
            }
        }
        return new ContraindicationScreening(answers, justifications);
    }

    private static void Vitals(Validator v, EvaluationForm form)
    {
        if (form.SystolicBp is { } sys && sys is < MinSystolic or > MaxSystolic)
        {
            v.Add("systolicBp", $"must be between {MinSystolic} and {MaxSystolic} mmHg (was {sys}).");
        }
        if (form.DiastolicBp is { } dia && dia is < MinDiastolic or > MaxDiastolic)
        {
            v.Add("diastolicBp", $"must be between {MinDiastolic} and {MaxDiastolic} mmHg (was {dia}).");
        }
        if (form.SystolicBp is { } s && form.DiastolicBp is { } d && d >= s)
        {
            v.Add("diastolicBp", $"must be lower than the systolic pressure ({s}/{d} mmHg).");
        }
        if (form.SystolicBp is null != form.DiastolicBp is null)
        {
            v.Add(form.SystolicBp is null ? "systolicBp" : "diastolicBp", "a blood pressure needs both the systolic and the diastolic value.");
        }
        if (form.HeartRate is { } hr && hr is < MinHeartRate or > MaxHeartRate)
        {
            v.Add("heartRate", $"must be between {MinHeartRate} and {MaxHeartRate} beats a minute (was {hr}).");
        }
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(decimal n) => n.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
