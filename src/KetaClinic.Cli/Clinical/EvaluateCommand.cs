using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Cli.Clinical;

/// <summary>
/// <c>ketaclinic evaluate</c>: the eligibility decision (REFERENCE.md §3–§4) for one evaluation given as JSON on
/// standard input. The input maps field by field onto <see cref="EligibilityInput"/>; a field left out is "not
/// recorded", which the evaluation never treats as a pass.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly string[] Fields =
    [
        "evaluatedOn", "episodeOnset", "baselineSeverity", "trials", "augmentationUsed", "ect", "screening",
        "justifications", "currentMedications",
    ];

    private static readonly string[] TrialFields =
    [
        "drug", "maxDailyDoseMg", "weeksAtDose", "outcome", "inCurrentEpisode", "startDate", "endDate", "drugClass",
        "physicianDoseConfirmation",
    ];

    private static readonly string[] MedicationFields = ["name", "dailyDoseMg"];

    private static readonly string[] ScreeningFields = Enum.GetValues<Contraindication>().Select(Codes.Camel).ToArray();

    public static object Run(System.Text.Json.JsonElement root, DateOnly today, EligibilityRuleSet rules)
    {
        var input = JsonInput.Object(root, "$", Fields);
        var evaluatedOn = input.Date("evaluatedOn") ?? today;
        var onset = input.Date("episodeOnset");
        if (onset > evaluatedOn)
        {
            throw CliInputException.At(input.At("episodeOnset"), $"{Codes.Date(onset.Value)} is after evaluatedOn ({Codes.Date(evaluatedOn)}).");
        }

        var trials = input.Array("trials")?.Select(t => Trial(t.Element, t.Path, onset, evaluatedOn, rules.Antidepressants)).ToList();
        var evaluation = new EligibilityInput
        {
            EvaluatedOn = evaluatedOn,
            CurrentEpisodeOnset = onset,
            BaselineSeverity = input.Code<EpisodeSeverity>("baselineSeverity"),
            Trials = trials,
            AugmentationUsed = input.Bool("augmentationUsed"),
            Ect = input.Code<EctHistory>("ect"),
            Screening = Screening(input),
            CurrentMedications = input.Array("currentMedications")?.Select(m => Medication(m.Element, m.Path)).ToList(),
        };

        var result = EligibilityEvaluator.Evaluate(evaluation, rules);
        return new
        {
            decision = result.Decision.Code(),
            evaluatedOn = Codes.Date(result.EvaluatedOn),
            expiresOn = Codes.Date(result.ExpiresOn),
            reasons = result.Reasons.Select(r => new
            {
                code = r.Code,
                effect = Codes.Kebab(r.Effect),
                sentence = r.Sentence,
                source = r.Source,
                subject = r.Subject,
            }),
            trd = new
            {
                status = Codes.Kebab(result.Trd.Status),
                adequateFailedTrials = result.Trd.CountedTrials.Count,
                qualifyingFailures = result.Trd.QualifyingFailures,
                required = result.Trd.Required,
                differentClassesRequired = result.Trd.DifferentClassesRequired,
                failedClasses = result.Trd.FailedClasses.Select(c => c.Code()),
                countedTrials = result.Trd.CountedTrials,
                undeterminedTrials = result.Trd.UndeterminedTrials,
            },
            trials = result.Trials.Select(t => new
            {
                number = t.Number,
                drug = t.Drug,
                catalogueName = t.CatalogueEntry?.Name,
                drugClass = t.Class?.Code(),
                adequacy = Codes.Kebab(t.Adequacy),
                contribution = Codes.Kebab(t.Contribution),
            }),
            episodeDurationMonths = result.EpisodeDurationMonths,
            maudsley = result.Maudsley is { } m
                ? new
                {
                    total = m.Total,
                    band = m.Band.Label(),
                    durationPoints = m.DurationPoints,
                    severityPoints = m.SeverityPoints,
                    failedAntidepressantPoints = m.FailedAntidepressantPoints,
                    augmentationPoints = m.AugmentationPoints,
                    ectPoints = m.EctPoints,
                }
                : null,
            thaseRushStage = result.ThaseRush?.Label(),
            medications = result.Medications is { } meds
                ? new
                {
                    diazepamEquivalentMgPerDay = meds.DiazepamEquivalentMgPerDay is { } load ? Math.Round(load, 2) : (decimal?)null,
                    flags = meds.Flags.Select(f => new { medication = f.Medication, concern = Codes.Kebab(f.Concern), source = f.Source }),
                }
                : null,
        };
    }

    private static AntidepressantTrial Trial(
        System.Text.Json.JsonElement element, string path, DateOnly? onset, DateOnly evaluatedOn, AntidepressantCatalogue catalogue)
    {
        var trial = JsonInput.Object(element, path, TrialFields);
        var drug = trial.String("drug");
        var dose = trial.Decimal("maxDailyDoseMg");
        if (dose <= 0m)
        {
            throw CliInputException.At(trial.At("maxDailyDoseMg"), $"must be more than 0 mg, not {Codes.Number(dose.Value)}.");
        }

        var weeks = trial.Decimal("weeksAtDose");
        if (weeks < 0m)
        {
            throw CliInputException.At(trial.At("weeksAtDose"), $"must not be negative, not {Codes.Number(weeks.Value)}.");
        }

        var start = trial.Date("startDate");
        var end = trial.Date("endDate");
        CheckDates(trial, start, end, weeks, evaluatedOn);
        var inEpisode = InCurrentEpisode(trial, start, end, onset);

        var entry = catalogue.Find(drug);
        var assignedClass = DrugClass(trial, drug, entry);
        var confirmation = trial.String("physicianDoseConfirmation");
        if (confirmation is not null && entry is not null)
        {
            throw CliInputException.At(trial.At("physicianDoseConfirmation"),
                $"is only for a drug not in the catalogue; '{drug}' is in it, so its dose is judged against the catalogue's minimum of {Codes.Number(entry.MinimumAdequateDailyDoseMg)} mg.");
        }

        return new AntidepressantTrial(drug, dose, weeks, trial.Code<TrialOutcome>("outcome"), inEpisode)
        {
            PhysicianAssignedClass = assignedClass,
            PhysicianDoseConfirmation = confirmation,
        };
    }

    private static void CheckDates(JsonInput trial, DateOnly? start, DateOnly? end, decimal? weeks, DateOnly evaluatedOn)
    {
        if (start > evaluatedOn)
        {
            throw CliInputException.At(trial.At("startDate"), $"{Codes.Date(start.Value)} is after evaluatedOn ({Codes.Date(evaluatedOn)}).");
        }

        if (end > evaluatedOn)
        {
            throw CliInputException.At(trial.At("endDate"), $"{Codes.Date(end.Value)} is after evaluatedOn ({Codes.Date(evaluatedOn)}).");
        }

        if (start is { } s && end is { } e)
        {
            if (e < s)
            {
                throw CliInputException.At(trial.At("endDate"), $"{Codes.Date(e)} is before startDate ({Codes.Date(s)}).");
            }

            var spanWeeks = (e.DayNumber - s.DayNumber) / 7m;
            if (weeks > spanWeeks)
            {
                throw CliInputException.At(trial.At("weeksAtDose"),
                    $"{Codes.Number(weeks!.Value)} weeks at dose is longer than the trial itself ({Codes.Number(Math.Round(spanWeeks, 1))} weeks from startDate to endDate).");
            }
        }
    }

    // Dates settle the episode only when they leave no doubt; a trial spanning the onset stays unknown (needs review).
    private static bool? InCurrentEpisode(JsonInput trial, DateOnly? start, DateOnly? end, DateOnly? onset)
    {
        bool? fromDates = onset is not { } o ? null
            : start >= o ? true
            : end < o ? false
            : null;
        var given = trial.Bool("inCurrentEpisode");
        if (given is not null && fromDates is not null && given != fromDates)
        {
            var dates = fromDates.Value ? $"startDate {Codes.Date(start!.Value)}" : $"endDate {Codes.Date(end!.Value)}";
            throw CliInputException.At(trial.At("inCurrentEpisode"),
                $"is {(given.Value ? "true" : "false")}, but {dates} is {(fromDates.Value ? "on or after" : "before")} episodeOnset ({Codes.Date(onset!.Value)}).");
        }

        return given ?? fromDates;
    }

    private static AntidepressantClass? DrugClass(JsonInput trial, string? drug, Antidepressant? entry)
    {
        if (trial.String("drugClass") is not { } code)
        {
            return null;
        }

        if (!AntidepressantClasses.TryParse(code, out var assigned))
        {
            throw CliInputException.At(trial.At("drugClass"), $"'{code}' is not allowed; use one of: {string.Join(", ", AntidepressantClasses.Codes)}.");
        }

        if (entry is not null && entry.Class != assigned)
        {
            throw CliInputException.At(trial.At("drugClass"),
                $"'{code}' contradicts the catalogue, where '{drug}' is {entry.Class.Code()}; drugClass is for drugs not in the catalogue.");
        }

        return entry is null ? assigned : null;
    }

    private static ContraindicationScreening Screening(JsonInput input)
    {
        var answers = new Dictionary<Contraindication, ScreeningAnswer>();
        var screening = input.Object("screening", required: false, ScreeningFields);
        foreach (var item in Enum.GetValues<Contraindication>())
        {
            if (screening?.Bool(Codes.Camel(item)) is { } yes)
            {
                answers[item] = yes ? ScreeningAnswer.Yes : ScreeningAnswer.No;
            }
        }

        var justifications = new Dictionary<Contraindication, string>();
        var written = input.Object("justifications", required: false, ScreeningFields);
        foreach (var item in Enum.GetValues<Contraindication>())
        {
            if (written?.String(Codes.Camel(item)) is not { } text)
            {
                continue;
            }

            var rule = ContraindicationRules.For(item);
            if (rule.Kind == ContraindicationKind.Absolute)
            {
                throw CliInputException.At(written.At(Codes.Camel(item)),
                    $"{rule.Description} is an absolute contraindication; no justification can allow treatment.");
            }

            if (answers.GetValueOrDefault(item) != ScreeningAnswer.Yes)
            {
                throw CliInputException.At(written.At(Codes.Camel(item)),
                    $"a justification is only for a relative contraindication answered true in screening.{Codes.Camel(item)}.");
            }

            justifications[item] = text;
        }

        return new ContraindicationScreening(answers, justifications);
    }

    private static CurrentMedication Medication(System.Text.Json.JsonElement element, string path)
    {
        var medication = JsonInput.Object(element, path, MedicationFields);
        var dose = medication.Decimal("dailyDoseMg");
        if (dose <= 0m)
        {
            throw CliInputException.At(medication.At("dailyDoseMg"), $"must be more than 0 mg, not {Codes.Number(dose.Value)}.");
        }

        return new CurrentMedication(medication.String("name", required: true)!, dose);
    }
}
