using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>Every clinic setting a session runs against, each group with its defaults and sources.</summary>
public sealed record SessionSettings
{
    public PreDoseCheckSettings PreDose { get; init; } = PreDoseCheckSettings.Default;

    /// <summary>Alert thresholds, the pre-dose hold limit and the pre-dose reading age (Monitoring module).</summary>
    public VitalAlertSettings Vitals { get; init; } = VitalAlertSettings.Default;

    /// <summary>Plausibility limits for manually entered vitals (Monitoring module).</summary>
    public VitalPlausibilityLimits Plausibility { get; init; } = VitalsMappingSettings.Default.Plausibility;

    /// <summary>Weight age and rounding for the dose calculation (Protocols module).</summary>
    public DosingSettings Dosing { get; init; } = DosingSettings.Default;

    public DosingRecordSettings DosingRecord { get; init; } = DosingRecordSettings.Default;

    public MonitoringSettings Monitoring { get; init; } = MonitoringSettings.Default;

    public AlertEscalationSettings Escalation { get; init; } = AlertEscalationSettings.Default;

    public SideEffectSettings SideEffects { get; init; } = SideEffectSettings.Default;

    public DischargeSettings Discharge { get; init; } = DischargeSettings.Default;

    public RemsFormSettings Rems { get; init; } = RemsFormSettings.Default;

    /// <summary>Medication tables used to flag benzodiazepines, stimulants and MAOIs (Evaluation module).</summary>
    public EligibilityRuleSet Medications { get; init; } = EligibilityRuleSet.Default;

    public static SessionSettings Default { get; } = new();

    /// <summary>Problems with any group, each field prefixed by its group; empty when usable.</summary>
    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        Add(nameof(PreDose), PreDose.Validate());
        Add(nameof(Vitals), Vitals.Validate());
        Add(nameof(Dosing), Dosing.Validate());
        Add(nameof(DosingRecord), DosingRecord.Validate());
        Add(nameof(Monitoring), Monitoring.Validate());
        Add(nameof(Escalation), Escalation.Validate());
        Add(nameof(SideEffects), SideEffects.Validate());
        Add(nameof(Discharge), Discharge.Validate());
        Add(nameof(Rems), Rems.Validate());
        return errors;

        void Add(string group, IReadOnlyList<DataValidationError> found) =>
            errors.AddRange(found.Select(e => e with { Field = group + "." + e.Field }));
    }
}
