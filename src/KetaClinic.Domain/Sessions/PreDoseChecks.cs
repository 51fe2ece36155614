using KetaClinic.Domain.Common;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>What the pre-dose checks are evaluated from; the session supplies its own vitals and overrides.</summary>
public sealed record PreDoseContext(
    TreatmentProtocol Protocol,
    PreDoseFacts Facts,
    IReadOnlyList<VitalObservation> Vitals,
    IReadOnlyList<GateOverride> Overrides,
    DateTimeOffset Now,
    SessionSettings Settings);

/// <summary>
/// The pre-dose checklist: each gate met, not met, overridden or not applicable, with a sentence. Missing information
/// never meets a gate; a physician's override opens a gate that is not met, for the same finding only.
/// </summary>
public static class PreDoseChecks
{
    private const string ConsentSource = "clinic policy: signed informed consent, current and covering the treatment route, before each dose";
    private const string EligibilitySource = "Evaluation module: an eligible decision that has not expired (REFERENCE.md §3, §4)";
    private const string FastingSource = "protocol fasting rules";
    private const string CompanionSource = "REFERENCE.md §6 [firm]: no driving until the next day after sleep; clinic policy: a companion drives the patient home";
    private const string SafetyAlertSource = "clinic policy: open safety alerts on the patient's record are acknowledged before a dose";
    private const string MedicationSource = "REFERENCE.md §4: benzodiazepines and opioids add sedation, psychostimulants and MAOIs raise blood pressure; reviewed by a clinician before each dose";
    private const string InstrumentsMissingSource = "REFERENCE.md §5: vitals and rating scales before each dose";

    public static PreDoseChecklist Evaluate(PreDoseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Protocol);
        ArgumentNullException.ThrowIfNull(context.Facts);
        ArgumentNullException.ThrowIfNull(context.Vitals);
        ArgumentNullException.ThrowIfNull(context.Overrides);
        ArgumentNullException.ThrowIfNull(context.Settings);
        var vitals = context.Vitals.Where(v => v.ObservedAt <= context.Now).ToList();
        var raw = new[]
        {
            Consent(context),
            Eligibility(context),
            Rems(context),
            RatingScales(context),
            VitalsTaken(context, vitals),
            BloodPressure(context, vitals),
            Fasting(context),
            Companion(context),
            Pregnancy(context),
            Medications(context),
            Weight(context),
            SafetyAlerts(context),
        };
        return new PreDoseChecklist([.. raw.Select(r => ApplyOverride(r, context))], context.Now);
    }

    private static PreDoseCheckResult ApplyOverride(PreDoseCheckResult result, PreDoseContext context)
    {
        if (result.Status != GateStatus.NotMet)
        {
            return result;
        }

        // An override counts from the moment it was given: never for a check made at an earlier time.
        var latest = context.Overrides.LastOrDefault(o => o.Gate == result.Gate && o.At <= context.Now);
        if (latest is null)
        {
            return result;
        }

        if (context.Settings.PreDose.NotOverridable.Value.Contains(result.Gate) || !latest.By.IsPhysician)
        {
            return result with { Sentence = result.Sentence + " This check cannot be overridden." };
        }

        if (!string.Equals(latest.Evidence, result.Evidence, StringComparison.Ordinal))
        {
            return result with
            {
                Sentence = result.Sentence + $" The override by {latest.By.Name} at {SessionText.Time(latest.At)} was for another finding ({latest.Evidence ?? "missing information"}) and no longer applies.",
            };
        }

        return result with
        {
            Status = GateStatus.Overridden,
            Override = latest,
            Sentence = $"Overridden by {latest.By.Name} at {SessionText.Time(latest.At)}: {latest.Reason} (finding: {result.Sentence})",
        };
    }

    private static PreDoseCheckResult Result(PreDoseGate gate, GateStatus status, string sentence, string? evidence, string source) =>
        new(gate, status, sentence, evidence, source, null);

    private static PreDoseCheckResult NotMet(PreDoseGate gate, string sentence, string? evidence, string source) =>
        Result(gate, GateStatus.NotMet, "Not met: " + sentence, evidence, source);

    private static PreDoseCheckResult Met(PreDoseGate gate, string sentence, string? evidence, string source) =>
        Result(gate, GateStatus.Met, "Met: " + sentence, evidence, source);

    private static PreDoseCheckResult Consent(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.Consent;
        var route = SessionText.Route(c.Protocol.Route);
        if (c.Facts.Consent is not { } consent)
        {
            return NotMet(gate, "no signed consent is on record.", null, ConsentSource);
        }

        var evidence = $"consent signed {SessionText.DateTime(consent.SignedAt)} for {string.Join(", ", (consent.Routes ?? []).Select(SessionText.Route))}"
            + (consent.ExpiresAt is { } e ? $", expires {SessionText.DateTime(e)}" : string.Empty)
            + (consent.WithdrawnAt is { } w ? $", withdrawn {SessionText.DateTime(w)}" : string.Empty);
        if (consent.WithdrawnAt is { } withdrawn && withdrawn <= c.Now)
        {
            return NotMet(gate, $"consent was withdrawn on {SessionText.DateTime(withdrawn)}.", evidence, ConsentSource);
        }

        if (consent.SignedAt > c.Now)
        {
            return NotMet(gate, $"the consent is dated {SessionText.DateTime(consent.SignedAt)}, after now: check the date.", evidence, ConsentSource);
        }

        if (consent.ExpiresAt is { } expires && expires <= c.Now)
        {
            return NotMet(gate, $"consent expired on {SessionText.DateTime(expires)}.", evidence, ConsentSource);
        }

        if (consent.Routes is null || !consent.Routes.Contains(c.Protocol.Route))
        {
            return NotMet(gate, $"the consent does not cover the {route} route.", evidence, ConsentSource);
        }

        return Met(gate, $"{evidence}.", evidence, ConsentSource);
    }

    private static PreDoseCheckResult Eligibility(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.Eligibility;
        if (c.Facts.Eligibility is not { } status)
        {
            return NotMet(gate, "no eligibility decision is on record.", null, EligibilitySource);
        }

        var today = SessionText.DateOf(c.Now);
        var evidence = $"{status.Decision.Code()} on {SessionText.Date(status.EvaluatedOn)}, valid until {SessionText.Date(status.ExpiresOn.AddDays(-1))}";
        if (status.Decision != EligibilityDecision.Eligible)
        {
            return NotMet(gate, $"the latest eligibility decision is {status.Decision.Code()} ({SessionText.Date(status.EvaluatedOn)}).", evidence, EligibilitySource);
        }

        if (status.EvaluatedOn > today)
        {
            return NotMet(gate, $"the eligibility decision is dated {SessionText.Date(status.EvaluatedOn)}, after today: check the date.", evidence, EligibilitySource);
        }

        if (today >= status.ExpiresOn)
        {
            return NotMet(gate, $"the eligibility decision of {SessionText.Date(status.EvaluatedOn)} expired on {SessionText.Date(status.ExpiresOn)}: re-evaluate.", evidence, EligibilitySource);
        }

        return Met(gate, $"eligible ({evidence}).", evidence, EligibilitySource);
    }

    private static PreDoseCheckResult Rems(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.RemsEnrollment;
        var source = c.Protocol.RemsRequired.Source;
        if (!c.Protocol.RemsRequired.Value)
        {
            return Result(gate, GateStatus.NotApplicable, $"Not applicable: the REMS does not apply to {c.Protocol.Name}.", "no REMS", source);
        }

        return c.Facts.RemsEnrolled switch
        {
            true => Met(gate, "the patient is enrolled in the esketamine REMS.", "enrolled", source),
            false => NotMet(gate, "the patient is not enrolled in the esketamine REMS; enrolment comes before the first dose.", "not enrolled", source),
            null => NotMet(gate, "REMS enrolment is not recorded.", null, source),
        };
    }

    private static PreDoseCheckResult RatingScales(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.RatingScales;
        var window = c.Settings.PreDose.VisitWindowHours;
        if (c.Facts.RequiredInstrumentIds is not { } required)
        {
            return NotMet(gate, "the rating scales this visit needs are not known.", null, InstrumentsMissingSource);
        }

        if (required.Count == 0)
        {
            return Met(gate, "no rating scale is required before this dose.", "none required", window.Source);
        }

        var completed = c.Facts.CompletedInstruments ?? [];
        var from = c.Now.AddHours(-window.Value);
        var done = new List<string>();
        var missing = new List<string>();
        foreach (var id in required.Distinct(StringComparer.Ordinal))
        {
            var latest = completed
                .Where(i => string.Equals(i.InstrumentId, id, StringComparison.Ordinal) && i.CompletedAt >= from && i.CompletedAt <= c.Now)
                .OrderBy(i => i.CompletedAt)
                .LastOrDefault();
            if (latest is null)
            {
                missing.Add(id);
            }
            else
            {
                done.Add($"{id} at {SessionText.DateTime(latest.CompletedAt)}");
            }
        }

        var evidence = missing.Count == 0 ? string.Join(", ", done) : "missing: " + string.Join(", ", missing);
        return missing.Count == 0
            ? Met(gate, $"{string.Join(", ", done)}.", evidence, window.Source)
            : NotMet(gate, $"not done within the last {SessionText.Number(window.Value)} hours: {string.Join(", ", missing)}.", evidence, window.Source);
    }

    private static PreDoseCheckResult VitalsTaken(PreDoseContext c, List<VitalObservation> vitals)
    {
        const PreDoseGate gate = PreDoseGate.VitalsTaken;
        var maxAge = c.Settings.Vitals.PreDoseReadingMaxAgeMinutes;
        var source = c.Settings.PreDose.RequiredVitals.Source + "; " + maxAge.Source;
        var from = c.Now.AddMinutes(-maxAge.Value);
        var present = new List<string>();
        var missing = new List<string>();
        var required = c.Settings.PreDose.RequiredVitals.Value;
        var needsBloodPressure = required.Any(k => k is VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure);
        if (needsBloodPressure)
        {
            var bp = BloodPressureReading.LatestFrom(vitals.Where(v => v.ObservedAt >= from));
            if (bp is null)
            {
                missing.Add("blood pressure");
            }
            else
            {
                present.Add($"BP {bp} at {SessionText.DateTime(bp.MeasuredAt)}");
            }
        }

        foreach (var kind in required.Where(k => k is not (VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure)).Distinct())
        {
            var latest = vitals.Where(v => v.Kind == kind && v.ObservedAt >= from).MaxBy(v => v.ObservedAt);
            if (latest is null)
            {
                missing.Add(SessionText.VitalName(kind));
            }
            else
            {
                present.Add($"{SessionText.VitalName(kind)} {latest.Value} at {SessionText.DateTime(latest.ObservedAt)}");
            }
        }

        // Not met, the finding is what is missing: a monitor streaming other values does not change it.
        var evidence = missing.Count == 0 ? string.Join(", ", present) : "missing: " + string.Join(", ", missing);
        return missing.Count == 0
            ? Met(gate, $"{string.Join(", ", present)}.", evidence, source)
            : NotMet(gate, $"no {string.Join(", ", missing)} within the last {SessionText.Minutes(maxAge.Value)}.", evidence, source);
    }

    private static PreDoseCheckResult BloodPressure(PreDoseContext c, List<VitalObservation> vitals)
    {
        var result = VitalAlerts.CheckPreDoseBloodPressure(BloodPressureReading.LatestFrom(vitals), c.Now, c.Settings.Vitals);
        var evidence = result.Reading is { } r ? $"BP {r} at {SessionText.DateTime(r.MeasuredAt)}" : null;
        return Result(PreDoseGate.BloodPressure, result.IsMet ? GateStatus.Met : GateStatus.NotMet, result.Message, evidence, result.Source);
    }

    private static PreDoseCheckResult Fasting(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.Fasting;
        var rules = c.Protocol.Fasting;
        var source = $"{FastingSource}: {rules.NoFoodMinutes.Source}; {rules.NoDrinkMinutes.Source}";
        var food = c.Facts.LastFoodAt;
        var drink = c.Facts.LastDrinkAt;
        var evidence = food is null || drink is null
            ? null
            : $"last food {SessionText.DateTime(food.Value)}, last drink {SessionText.DateTime(drink.Value)}";
        var problems = new List<string>();
        Check("food", "ate", food, rules.NoFoodMinutes.Value);
        Check("drink", "drank", drink, rules.NoDrinkMinutes.Value);
        return problems.Count == 0
            ? Met(gate, $"{evidence}; no food for {SessionText.Minutes(rules.NoFoodMinutes.Value)} and no drink for {SessionText.Minutes(rules.NoDrinkMinutes.Value)} before the dose.", evidence, source)
            : NotMet(gate, string.Join(" ", problems), evidence, source);

        void Check(string what, string verb, DateTimeOffset? last, int minutes)
        {
            if (last is not { } at)
            {
                problems.Add($"when the patient last had {what} is not recorded.");
            }
            else if (at > c.Now)
            {
                problems.Add($"the last {what} time {SessionText.DateTime(at)} is after now: check it.");
            }
            else if (c.Now - at < TimeSpan.FromMinutes(minutes))
            {
                problems.Add($"the patient last {verb} at {SessionText.Time(at)}, {SessionText.Minutes(c.Now - at)} ago; {c.Protocol.Name} needs {SessionText.Minutes(minutes)} (until {SessionText.Time(at.AddMinutes(minutes))}).");
            }
        }
    }

    private static PreDoseCheckResult Companion(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.Companion;
        if (c.Facts.Companion is not { } companion)
        {
            return NotMet(gate, "no companion to drive the patient home is confirmed; a clinic policy exception needs a physician's override.", null, CompanionSource);
        }

        var v = new Validator();
        var name = v.Text("companion.name", companion.Name, 200, required: true);
        var phone = v.Phone("companion.phone", companion.Phone, required: true);
        var evidence = $"{companion.Name?.Trim()} ({companion.Phone?.Trim()})";
        if (!v.IsValid)
        {
            return NotMet(gate, "the companion's " + string.Join("; ", v.Errors.Select(e => $"{e.Field["companion.".Length..]} {e.Message}")), evidence, CompanionSource);
        }

        return Met(gate, $"{name} ({phone}) will drive the patient home.", evidence, CompanionSource);
    }

    private static PreDoseCheckResult Pregnancy(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.Pregnancy;
        var settings = c.Settings.PreDose;
        var source = settings.PregnancyCheckApplies.Source;
        if (!settings.PregnancyCheckApplies.Value)
        {
            return Result(gate, GateStatus.NotApplicable, "Not applicable: the clinic does not require a pregnancy check.", "check off", source);
        }

        switch (c.Facts.CanBecomePregnant)
        {
            case null:
                return NotMet(gate, "whether the patient can become pregnant is not recorded.", null, source);
            case false:
                return Result(gate, GateStatus.NotApplicable, "Not applicable: the patient cannot become pregnant (as recorded).", "cannot become pregnant", source);
        }

        if (c.Facts.Pregnancy is not { } test)
        {
            return NotMet(gate, "no pregnancy test is recorded.", null, source);
        }

        var evidence = $"{(test.Result == PregnancyTestResult.Negative ? "negative" : "positive")} test {SessionText.DateTime(test.TestedAt)}";
        var maxAge = settings.PregnancyTestMaxAgeDays;
        if (test.TestedAt > c.Now)
        {
            return NotMet(gate, $"the pregnancy test is dated {SessionText.DateTime(test.TestedAt)}, after now: check the date.", evidence, source);
        }

        if (c.Now - test.TestedAt > TimeSpan.FromDays(maxAge.Value))
        {
            return NotMet(gate, $"the latest pregnancy test ({evidence}) is older than {SessionText.Number(maxAge.Value)} days.", evidence, maxAge.Source);
        }

        return test.Result == PregnancyTestResult.Negative
            ? Met(gate, $"{evidence}.", evidence, source)
            : NotMet(gate, $"{evidence}: pregnancy needs a physician's review before any dose.", evidence, source);
    }

    private static PreDoseCheckResult Medications(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.MedicationReview;
        if (c.Facts.Medications is not { } list || list.Medications is null)
        {
            return NotMet(gate, "the medication list since the last visit is not recorded.", null, MedicationSource);
        }

        var summary = ConcomitantMedicationSummary.Of(list.Medications, c.Settings.Medications);
        var names = list.Medications.Count == 0 ? "no medications" : string.Join(", ", list.Medications.Select(m => m.Name));
        var flagged = $"flagged: {summary.FlagWords}";
        var window = c.Settings.PreDose.VisitWindowHours;
        if (list.ReviewedBy is not { } by || list.ReviewedAt is not { } at)
        {
            var pending = $"list {names}; {flagged}; not reviewed";
            return NotMet(gate, $"the list ({names}; {flagged}) has not been marked reviewed by a clinician.", pending, MedicationSource);
        }

        var evidence = $"list {names}; {flagged}; reviewed by {by.UserId} at {SessionText.DateTime(at)}";
        if (by.Role == StaffRole.Other)
        {
            return NotMet(gate, $"the list was marked reviewed by {by.Name}, who is not a nurse or physician.", evidence, MedicationSource);
        }

        if (at > c.Now || c.Now - at > TimeSpan.FromHours(window.Value))
        {
            return NotMet(gate, $"the list was last reviewed at {SessionText.DateTime(at)}, not within the last {SessionText.Number(window.Value)} hours.", evidence, window.Source);
        }

        return Met(gate, $"reviewed by {by.Name} at {SessionText.Time(at)} ({names}); {flagged}.", evidence, MedicationSource);
    }

    private static PreDoseCheckResult Weight(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.Weight;
        var protocol = c.Protocol;
        var maxAge = c.Settings.Dosing.MaximumWeightAgeDays;
        if (protocol.DoseBasis != DoseBasis.MgPerKg)
        {
            return Result(gate, GateStatus.NotApplicable, $"Not applicable: {protocol.Name} is not dosed by weight.", "not weight-based", maxAge.Source);
        }

        var order = c.Facts.OrderedDose is { Basis: DoseBasis.MgPerKg } ordered ? ordered : protocol.Dose.Default.Value;
        var calculation = DoseCalculator.Calculate(new DoseRequest(protocol, order, c.Facts.LatestWeight, 1, c.Now), c.Settings.Dosing);
        var stops = calculation.HardStops
            .Where(s => s.Kind is DoseStopKind.WeightMissing or DoseStopKind.WeightInFuture or DoseStopKind.WeightTooOld or DoseStopKind.WeightImplausible)
            .ToList();
        var weight = c.Facts.LatestWeight;
        var evidence = weight is null ? null : $"{weight.Weight} measured {SessionText.DateTime(weight.MeasuredAt)}";
        if (stops.Count > 0)
        {
            return NotMet(gate, string.Join(" ", stops.Select(s => s.Message)), evidence, maxAge.Source);
        }

        return Met(gate, $"{evidence}, within the {SessionText.Number(maxAge.Value)}-day limit.", evidence, maxAge.Source);
    }

    private static PreDoseCheckResult SafetyAlerts(PreDoseContext c)
    {
        const PreDoseGate gate = PreDoseGate.SafetyAlerts;
        return c.Facts.OpenSafetyAlerts switch
        {
            null => NotMet(gate, "the number of open safety alerts for the patient is not known.", null, SafetyAlertSource),
            < 0 => NotMet(gate, $"the count of open safety alerts ({SessionText.Number(c.Facts.OpenSafetyAlerts.Value)}) is invalid.", null, SafetyAlertSource),
            0 => Met(gate, "no open safety alert for the patient.", "0 open", SafetyAlertSource),
            var n => NotMet(gate, $"{(n == 1 ? "1 open safety alert needs" : SessionText.Number(n.Value) + " open safety alerts need")} acknowledging.", $"{SessionText.Number(n.Value)} open", SafetyAlertSource),
        };
    }
}
