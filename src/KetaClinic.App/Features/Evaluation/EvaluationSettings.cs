using KetaClinic.Domain.Evaluation;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>Settings of the evaluation and consent module (section "Evaluation"). Clinical values carry their source.</summary>
public sealed class EvaluationSettings
{
    public const string Section = "Evaluation";

    /// <summary>How long an eligibility decision stays valid before it must be renewed.</summary>
    public int EligibilityValidityMonths { get; set; } = EligibilitySettings.Default.EligibilityValidityMonths.Value;

    public string EligibilityValiditySource { get; set; } = EligibilitySettings.Default.EligibilityValidityMonths.Source;

    /// <summary>Weeks at an adequate dose before an antidepressant trial counts (REFERENCE.md §3).</summary>
    public decimal MinimumTrialWeeks { get; set; } = TrdSettings.Default.MinimumTrialWeeks.Value;

    public string MinimumTrialWeeksSource { get; set; } = TrdSettings.Default.MinimumTrialWeeks.Source;

    /// <summary>Whether the failed trials must come from different antidepressant classes (REFERENCE.md §3).</summary>
    public bool RequireDifferentClasses { get; set; } = TrdSettings.Default.RequireDifferentClasses.Value;

    public string RequireDifferentClassesSource { get; set; } = TrdSettings.Default.RequireDifferentClasses.Source;

    /// <summary>The clinic's edited antidepressant table, under the data directory; the built-in table when the file is absent.</summary>
    public string AntidepressantCatalogueFile { get; set; } = "antidepressants.json";

    /// <summary>Directory of the clinic's consent document versions (*.json), under the data directory.</summary>
    public string ConsentDocumentsDirectory { get; set; } = "consents";

    /// <summary>Length of a booked consultation unless the front desk says otherwise.</summary>
    public int ConsultationMinutes { get; set; } = 60;

    public EligibilitySettings ToEligibilitySettings() => EligibilitySettings.Default with
    {
        EligibilityValidityMonths = new SourcedSetting<int>(EligibilityValidityMonths, EligibilityValiditySource),
        Trd = TrdSettings.Default with
        {
            MinimumTrialWeeks = new SourcedSetting<decimal>(MinimumTrialWeeks, MinimumTrialWeeksSource),
            RequireDifferentClasses = new SourcedSetting<bool>(RequireDifferentClasses, RequireDifferentClassesSource),
        },
    };
}

/// <summary>The rule set, antidepressant table and consent documents this clinic runs with, validated at start.</summary>
public sealed class ClinicEvaluationRules(EvaluationSettings settings, EligibilityRuleSet rules, ConsentLibrary consents)
{
    public EvaluationSettings Settings { get; } = settings;

    public EligibilityRuleSet Rules { get; } = rules;

    public ConsentLibrary Consents { get; } = consents;

    /// <summary>Loads and checks everything; a bad setting or file stops the start with every problem listed.</summary>
    public static ClinicEvaluationRules Load(EvaluationSettings settings, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var eligibility = settings.ToEligibilitySettings();
        var problems = eligibility.Validate().Select(e => $"Evaluation settings: {e}").ToList();
        if (settings.ConsultationMinutes is < 15 or > 240)
        {
            problems.Add("Evaluation:ConsultationMinutes must be between 15 and 240.");
        }
        var catalogue = AntidepressantCatalogue.Default;
        var cataloguePath = Path.Combine(dataDirectory, settings.AntidepressantCatalogueFile);
        if (File.Exists(cataloguePath))
        {
            var loaded = AntidepressantCatalogue.FromJson(File.ReadAllText(cataloguePath));
            if (loaded.IsValid)
            {
                catalogue = loaded.Value!;
            }
            else
            {
                problems.AddRange(loaded.Errors.Select(e => $"{cataloguePath}: {e}"));
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The evaluation settings have errors:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
        }
        var consents = ConsentLibrary.Load(Path.Combine(dataDirectory, settings.ConsentDocumentsDirectory));
        return new ClinicEvaluationRules(settings, new EligibilityRuleSet(eligibility, catalogue, ConcomitantMedicationTable.Default), consents);
    }
}
