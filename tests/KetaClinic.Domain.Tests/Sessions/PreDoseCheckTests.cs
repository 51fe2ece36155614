using KetaClinic.Domain.Common;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class PreDoseCheckTests
{
    private static readonly DateTimeOffset At = T0.AddMinutes(10);

    /// <summary>A checked-in session of <paramref name="protocol"/> with good vitals at T0+5 unless told otherwise.</summary>
    private static TreatmentSession Session(TreatmentProtocol? protocol = null, IReadOnlyList<VitalObservation>? vitals = null)
    {
        var session = CheckedIn(protocol);
        session.RecordVitals(vitals ?? Vitals(T0.AddMinutes(5)), Settings);
        return session;
    }

    private static PreDoseCheckResult Gate(PreDoseGate gate, Func<PreDoseFacts, PreDoseFacts> change, TreatmentProtocol? protocol = null, IReadOnlyList<VitalObservation>? vitals = null)
    {
        var session = Session(protocol, vitals);
        return session.EvaluatePreDoseChecks(change(GoodFacts(session.Protocol, At)), Settings, At)[gate];
    }

    public static TheoryData<string, PreDoseGate, GateStatus> Cases() => new()
    {
        { "consent-current", PreDoseGate.Consent, GateStatus.Met },
        { "consent-missing", PreDoseGate.Consent, GateStatus.NotMet },
        { "consent-expired", PreDoseGate.Consent, GateStatus.NotMet },
        { "consent-withdrawn", PreDoseGate.Consent, GateStatus.NotMet },
        { "consent-other-route", PreDoseGate.Consent, GateStatus.NotMet },
        { "consent-signed-later", PreDoseGate.Consent, GateStatus.NotMet },
        { "eligibility-current", PreDoseGate.Eligibility, GateStatus.Met },
        { "eligibility-missing", PreDoseGate.Eligibility, GateStatus.NotMet },
        { "eligibility-expired", PreDoseGate.Eligibility, GateStatus.NotMet },
        { "eligibility-needs-review", PreDoseGate.Eligibility, GateStatus.NotMet },
        { "eligibility-not-eligible", PreDoseGate.Eligibility, GateStatus.NotMet },
        { "rems-enrolled", PreDoseGate.RemsEnrollment, GateStatus.Met },
        { "rems-not-enrolled", PreDoseGate.RemsEnrollment, GateStatus.NotMet },
        { "rems-missing", PreDoseGate.RemsEnrollment, GateStatus.NotMet },
        { "rems-iv", PreDoseGate.RemsEnrollment, GateStatus.NotApplicable },
        { "scales-done", PreDoseGate.RatingScales, GateStatus.Met },
        { "scales-none-required", PreDoseGate.RatingScales, GateStatus.Met },
        { "scales-required-unknown", PreDoseGate.RatingScales, GateStatus.NotMet },
        { "scales-completed-missing", PreDoseGate.RatingScales, GateStatus.NotMet },
        { "scales-yesterday", PreDoseGate.RatingScales, GateStatus.NotMet },
        { "scales-one-of-two", PreDoseGate.RatingScales, GateStatus.NotMet },
        { "vitals-present", PreDoseGate.VitalsTaken, GateStatus.Met },
        { "vitals-none", PreDoseGate.VitalsTaken, GateStatus.NotMet },
        { "vitals-no-heart-rate", PreDoseGate.VitalsTaken, GateStatus.NotMet },
        { "vitals-too-old", PreDoseGate.VitalsTaken, GateStatus.NotMet },
        { "bp-normal", PreDoseGate.BloodPressure, GateStatus.Met },
        { "bp-at-limit", PreDoseGate.BloodPressure, GateStatus.Met },
        { "bp-systolic-high", PreDoseGate.BloodPressure, GateStatus.NotMet },
        { "bp-diastolic-high", PreDoseGate.BloodPressure, GateStatus.NotMet },
        { "bp-none", PreDoseGate.BloodPressure, GateStatus.NotMet },
        { "fasting-kept", PreDoseGate.Fasting, GateStatus.Met },
        { "fasting-ate-recently", PreDoseGate.Fasting, GateStatus.NotMet },
        { "fasting-drank-recently", PreDoseGate.Fasting, GateStatus.NotMet },
        { "fasting-food-missing", PreDoseGate.Fasting, GateStatus.NotMet },
        { "fasting-drink-missing", PreDoseGate.Fasting, GateStatus.NotMet },
        { "fasting-time-in-future", PreDoseGate.Fasting, GateStatus.NotMet },
        { "companion-confirmed", PreDoseGate.Companion, GateStatus.Met },
        { "companion-missing", PreDoseGate.Companion, GateStatus.NotMet },
        { "companion-bad-phone", PreDoseGate.Companion, GateStatus.NotMet },
        { "pregnancy-cannot", PreDoseGate.Pregnancy, GateStatus.NotApplicable },
        { "pregnancy-negative", PreDoseGate.Pregnancy, GateStatus.Met },
        { "pregnancy-positive", PreDoseGate.Pregnancy, GateStatus.NotMet },
        { "pregnancy-test-old", PreDoseGate.Pregnancy, GateStatus.NotMet },
        { "pregnancy-no-test", PreDoseGate.Pregnancy, GateStatus.NotMet },
        { "pregnancy-capacity-unknown", PreDoseGate.Pregnancy, GateStatus.NotMet },
        { "medications-reviewed", PreDoseGate.MedicationReview, GateStatus.Met },
        { "medications-missing", PreDoseGate.MedicationReview, GateStatus.NotMet },
        { "medications-not-reviewed", PreDoseGate.MedicationReview, GateStatus.NotMet },
        { "medications-reviewed-by-front-desk", PreDoseGate.MedicationReview, GateStatus.NotMet },
        { "medications-reviewed-yesterday", PreDoseGate.MedicationReview, GateStatus.NotMet },
        { "weight-current", PreDoseGate.Weight, GateStatus.Met },
        { "weight-missing", PreDoseGate.Weight, GateStatus.NotMet },
        { "weight-too-old", PreDoseGate.Weight, GateStatus.NotMet },
        { "weight-implausible", PreDoseGate.Weight, GateStatus.NotMet },
        { "weight-esketamine", PreDoseGate.Weight, GateStatus.NotApplicable },
        { "alerts-none", PreDoseGate.SafetyAlerts, GateStatus.Met },
        { "alerts-open", PreDoseGate.SafetyAlerts, GateStatus.NotMet },
        { "alerts-unknown", PreDoseGate.SafetyAlerts, GateStatus.NotMet },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_gate_is_met_only_by_recorded_current_facts(string name, PreDoseGate gate, GateStatus expected)
    {
        var result = Case(name);

        Assert.Equal(gate, result.Gate);
        Assert.Equal(expected, result.Status);
        Assert.StartsWith(expected switch
        {
            GateStatus.Met => "Met: ",
            GateStatus.NotApplicable => "Not applicable: ",
            _ => expected == GateStatus.NotMet && gate == PreDoseGate.BloodPressure ? string.Empty : "Not met: ",
        }, result.Sentence, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(result.Source));
    }

    private static PreDoseCheckResult Case(string name)
    {
        var today = DateOnly.FromDateTime(At.DateTime);
        return name switch
        {
            "consent-current" => Gate(PreDoseGate.Consent, f => f),
            "consent-missing" => Gate(PreDoseGate.Consent, f => f with { Consent = null }),
            "consent-expired" => Gate(PreDoseGate.Consent, f => f with { Consent = f.Consent! with { ExpiresAt = At.AddDays(-1) } }),
            "consent-withdrawn" => Gate(PreDoseGate.Consent, f => f with { Consent = f.Consent! with { WithdrawnAt = At.AddHours(-1) } }),
            "consent-other-route" => Gate(PreDoseGate.Consent, f => f with { Consent = f.Consent! with { Routes = [AdministrationRoute.Intranasal] } }),
            "consent-signed-later" => Gate(PreDoseGate.Consent, f => f with { Consent = f.Consent! with { SignedAt = At.AddHours(1) } }),
            "eligibility-current" => Gate(PreDoseGate.Eligibility, f => f),
            "eligibility-missing" => Gate(PreDoseGate.Eligibility, f => f with { Eligibility = null }),
            "eligibility-expired" => Gate(PreDoseGate.Eligibility, f => f with { Eligibility = f.Eligibility! with { ExpiresOn = today } }),
            "eligibility-needs-review" => Gate(PreDoseGate.Eligibility, f => f with { Eligibility = f.Eligibility! with { Decision = EligibilityDecision.NeedsReview } }),
            "eligibility-not-eligible" => Gate(PreDoseGate.Eligibility, f => f with { Eligibility = f.Eligibility! with { Decision = EligibilityDecision.NotEligible } }),
            "rems-enrolled" => Gate(PreDoseGate.RemsEnrollment, f => f, Esketamine),
            "rems-not-enrolled" => Gate(PreDoseGate.RemsEnrollment, f => f with { RemsEnrolled = false }, Esketamine),
            "rems-missing" => Gate(PreDoseGate.RemsEnrollment, f => f with { RemsEnrolled = null }, Esketamine),
            "rems-iv" => Gate(PreDoseGate.RemsEnrollment, f => f with { RemsEnrolled = null }),
            "scales-done" => Gate(PreDoseGate.RatingScales, f => f),
            "scales-none-required" => Gate(PreDoseGate.RatingScales, f => f with { RequiredInstrumentIds = [], CompletedInstruments = null }),
            "scales-required-unknown" => Gate(PreDoseGate.RatingScales, f => f with { RequiredInstrumentIds = null }),
            "scales-completed-missing" => Gate(PreDoseGate.RatingScales, f => f with { CompletedInstruments = null }),
            "scales-yesterday" => Gate(PreDoseGate.RatingScales, f => f with { CompletedInstruments = [new("phq9", At.AddHours(-20))] }),
            "scales-one-of-two" => Gate(PreDoseGate.RatingScales, f => f with { RequiredInstrumentIds = ["phq9", "cadss6"] }),
            "vitals-present" => Gate(PreDoseGate.VitalsTaken, f => f),
            "vitals-none" => Gate(PreDoseGate.VitalsTaken, f => f, vitals: []),
            "vitals-no-heart-rate" => Gate(PreDoseGate.VitalsTaken, f => f, vitals: [.. Vitals(T0.AddMinutes(5)).Where(v => v.Kind != VitalKind.HeartRate)]),
            "vitals-too-old" => Session().EvaluatePreDoseChecks(GoodFacts(Iv, T0.AddMinutes(36)), Settings, T0.AddMinutes(36))[PreDoseGate.VitalsTaken],
            "bp-normal" => Gate(PreDoseGate.BloodPressure, f => f),
            "bp-at-limit" => Gate(PreDoseGate.BloodPressure, f => f, vitals: Vitals(T0.AddMinutes(5), 140m, 90m)),
            "bp-systolic-high" => Gate(PreDoseGate.BloodPressure, f => f, vitals: Vitals(T0.AddMinutes(5), 141m, 80m)),
            "bp-diastolic-high" => Gate(PreDoseGate.BloodPressure, f => f, vitals: Vitals(T0.AddMinutes(5), 130m, 91m)),
            "bp-none" => Gate(PreDoseGate.BloodPressure, f => f, vitals: []),
            "fasting-kept" => Gate(PreDoseGate.Fasting, f => f),
            "fasting-ate-recently" => Gate(PreDoseGate.Fasting, f => f with { LastFoodAt = At.AddMinutes(-119) }),
            "fasting-drank-recently" => Gate(PreDoseGate.Fasting, f => f with { LastDrinkAt = At.AddMinutes(-29) }),
            "fasting-food-missing" => Gate(PreDoseGate.Fasting, f => f with { LastFoodAt = null }),
            "fasting-drink-missing" => Gate(PreDoseGate.Fasting, f => f with { LastDrinkAt = null }),
            "fasting-time-in-future" => Gate(PreDoseGate.Fasting, f => f with { LastFoodAt = At.AddHours(1) }),
            "companion-confirmed" => Gate(PreDoseGate.Companion, f => f),
            "companion-missing" => Gate(PreDoseGate.Companion, f => f with { Companion = null }),
            "companion-bad-phone" => Gate(PreDoseGate.Companion, f => f with { Companion = new("Sam Carter", "call me") }),
            "pregnancy-cannot" => Gate(PreDoseGate.Pregnancy, f => f),
            "pregnancy-negative" => Gate(PreDoseGate.Pregnancy, f => f with { CanBecomePregnant = true, Pregnancy = new(PregnancyTestResult.Negative, At.AddDays(-2)) }),
            "pregnancy-positive" => Gate(PreDoseGate.Pregnancy, f => f with { CanBecomePregnant = true, Pregnancy = new(PregnancyTestResult.Positive, At.AddDays(-2)) }),
            "pregnancy-test-old" => Gate(PreDoseGate.Pregnancy, f => f with { CanBecomePregnant = true, Pregnancy = new(PregnancyTestResult.Negative, At.AddDays(-8)) }),
            "pregnancy-no-test" => Gate(PreDoseGate.Pregnancy, f => f with { CanBecomePregnant = true }),
            "pregnancy-capacity-unknown" => Gate(PreDoseGate.Pregnancy, f => f with { CanBecomePregnant = null }),
            "medications-reviewed" => Gate(PreDoseGate.MedicationReview, f => f),
            "medications-missing" => Gate(PreDoseGate.MedicationReview, f => f with { Medications = null }),
            "medications-not-reviewed" => Gate(PreDoseGate.MedicationReview, f => f with { Medications = f.Medications! with { ReviewedBy = null, ReviewedAt = null } }),
            "medications-reviewed-by-front-desk" => Gate(PreDoseGate.MedicationReview, f => f with { Medications = f.Medications! with { ReviewedBy = FrontDesk } }),
            "medications-reviewed-yesterday" => Gate(PreDoseGate.MedicationReview, f => f with { Medications = f.Medications! with { ReviewedAt = At.AddHours(-20) } }),
            "weight-current" => Gate(PreDoseGate.Weight, f => f),
            "weight-missing" => Gate(PreDoseGate.Weight, f => f with { LatestWeight = null }),
            "weight-too-old" => Gate(PreDoseGate.Weight, f => f with { LatestWeight = new(new WeightKg(80m), At.AddDays(-31)) }),
            "weight-implausible" => Gate(PreDoseGate.Weight, f => f with { LatestWeight = new(new WeightKg(8m), At.AddDays(-1)) }),
            "weight-esketamine" => Gate(PreDoseGate.Weight, f => f with { LatestWeight = null }, Esketamine),
            "alerts-none" => Gate(PreDoseGate.SafetyAlerts, f => f),
            "alerts-open" => Gate(PreDoseGate.SafetyAlerts, f => f with { OpenSafetyAlerts = 2 }),
            "alerts-unknown" => Gate(PreDoseGate.SafetyAlerts, f => f with { OpenSafetyAlerts = null }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    [Fact]
    public void Good_facts_and_fresh_vitals_open_every_gate()
    {
        var checklist = Session().EvaluatePreDoseChecks(GoodFacts(Iv, At), Settings, At);

        Assert.True(checklist.CanStartDosing);
        Assert.Equal(PreDoseGates.All, checklist.Checks.Select(c => c.Gate));
        Assert.Empty(checklist.Outstanding);
    }

    [Theory]
    [InlineData("iv-racemic-ketamine")]
    [InlineData("esketamine-intranasal")]
    [InlineData("im-racemic-ketamine")]
    public void With_no_facts_and_no_vitals_nothing_is_met(string protocolId)
    {
        var session = CheckedIn(ProtocolLibrary.Default.Get(protocolId));

        var checklist = session.EvaluatePreDoseChecks(new PreDoseFacts(), Settings, At);

        Assert.False(checklist.CanStartDosing);
        Assert.DoesNotContain(checklist.Checks, c => c.Status == GateStatus.Met);
        Assert.All(checklist.Checks.Where(c => c.Status == GateStatus.NotApplicable),
            c => Assert.Contains(c.Gate, new[] { PreDoseGate.RemsEnrollment, PreDoseGate.Weight }));
    }

    [Fact]
    public void Sentences_say_what_is_missing_in_clinic_words()
    {
        Assert.Equal("Not met: the patient last ate at 07:11, 119 minutes ago; IV racemic ketamine infusion needs 120 minutes (until 09:11).", Case("fasting-ate-recently").Sentence);
        Assert.Equal("Hold dosing: blood pressure 141/80 mmHg is above 140/90 mmHg.", Case("bp-systolic-high").Sentence);
        Assert.Equal("Not met: 2 open safety alerts need acknowledging.", Case("alerts-open").Sentence);
        Assert.Equal("Not met: not done within the last 12 hours: cadss6.", Case("scales-one-of-two").Sentence);
        Assert.Equal("Not met: no heart rate within the last 30 minutes.", Case("vitals-no-heart-rate").Sentence);
        Assert.Contains("30 days", Case("weight-too-old").Sentence, StringComparison.Ordinal);
        Assert.Equal("Not met: no blood pressure, heart rate, SpO2 within the last 30 minutes.", Case("vitals-too-old").Sentence);
    }

    [Fact]
    public void The_medication_review_names_benzodiazepines_stimulants_and_maois()
    {
        var session = Session();
        var facts = GoodFacts(Iv, At) with
        {
            Medications = new MedicationListReview(
                [new CurrentMedication("lorazepam", 1m), new CurrentMedication("methylphenidate", 20m), new CurrentMedication("phenelzine", 45m)],
                Physician,
                At.AddMinutes(-5)),
        };

        var result = session.EvaluatePreDoseChecks(facts, Settings, At)[PreDoseGate.MedicationReview];

        Assert.Equal(GateStatus.Met, result.Status);
        Assert.Contains("lorazepam (adds sedation)", result.Sentence, StringComparison.Ordinal);
        Assert.Contains("methylphenidate (raises blood pressure)", result.Sentence, StringComparison.Ordinal);
        Assert.Contains("phenelzine (raises blood pressure)", result.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flagged_list_not_yet_reviewed_blocks_the_dose()
    {
        var session = Session();
        var facts = GoodFacts(Iv, At) with { Medications = new MedicationListReview([new CurrentMedication("selegiline", 10m)], null, null) };

        var result = session.EvaluatePreDoseChecks(facts, Settings, At)[PreDoseGate.MedicationReview];

        Assert.Equal(GateStatus.NotMet, result.Status);
        Assert.Contains("selegiline (raises blood pressure)", result.Sentence, StringComparison.Ordinal);
        Assert.Contains("has not been marked reviewed", result.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pregnancy_check_can_be_switched_off_by_the_clinic()
    {
        var session = Session();
        var settings = Settings with { PreDose = PreDoseCheckSettings.Default with { PregnancyCheckApplies = new(false, "clinic policy: men's clinic") } };

        var result = session.EvaluatePreDoseChecks(GoodFacts(Iv, At) with { CanBecomePregnant = null }, settings, At)[PreDoseGate.Pregnancy];

        Assert.Equal(GateStatus.NotApplicable, result.Status);
    }

    public static TheoryData<PreDoseGate, string> OverridableFailures() => new()
    {
        { PreDoseGate.Consent, "consent-expired" },
        { PreDoseGate.Eligibility, "eligibility-expired" },
        { PreDoseGate.RatingScales, "scales-yesterday" },
        { PreDoseGate.VitalsTaken, "vitals-no-heart-rate" },
        { PreDoseGate.BloodPressure, "bp-systolic-high" },
        { PreDoseGate.Fasting, "fasting-ate-recently" },
        { PreDoseGate.Companion, "companion-missing" },
        { PreDoseGate.Pregnancy, "pregnancy-no-test" },
        { PreDoseGate.MedicationReview, "medications-not-reviewed" },
        { PreDoseGate.Weight, "weight-too-old" },
        { PreDoseGate.SafetyAlerts, "alerts-open" },
    };

    private static (TreatmentSession Session, PreDoseFacts Facts) Failing(PreDoseGate gate)
    {
        var vitals = gate switch
        {
            PreDoseGate.VitalsTaken => [.. Vitals(T0.AddMinutes(5)).Where(v => v.Kind != VitalKind.HeartRate)],
            PreDoseGate.BloodPressure => Vitals(T0.AddMinutes(5), 150m, 85m),
            _ => Vitals(T0.AddMinutes(5)),
        };
        var session = Session(vitals: vitals);
        var good = GoodFacts(Iv, At);
        var facts = gate switch
        {
            PreDoseGate.Consent => good with { Consent = good.Consent! with { ExpiresAt = At.AddDays(-1) } },
            PreDoseGate.Eligibility => good with { Eligibility = good.Eligibility! with { ExpiresOn = DateOnly.FromDateTime(At.DateTime) } },
            PreDoseGate.RatingScales => good with { CompletedInstruments = [new("phq9", At.AddHours(-20))] },
            PreDoseGate.Fasting => good with { LastFoodAt = At.AddMinutes(-60) },
            PreDoseGate.Companion => good with { Companion = null },
            PreDoseGate.Pregnancy => good with { CanBecomePregnant = true },
            PreDoseGate.MedicationReview => good with { Medications = good.Medications! with { ReviewedBy = null, ReviewedAt = null } },
            PreDoseGate.Weight => good with { LatestWeight = new(new WeightKg(80m), At.AddDays(-31)) },
            PreDoseGate.SafetyAlerts => good with { OpenSafetyAlerts = 2 },
            _ => good,
        };
        return (session, facts);
    }

    [Theory]
    [MemberData(nameof(OverridableFailures))]
    public void A_physician_may_override_a_gate_that_is_not_met_with_a_written_reason(PreDoseGate gate, string unused)
    {
        _ = unused;
        var (session, facts) = Failing(gate);
        Assert.False(session.EvaluatePreDoseChecks(facts, Settings, At).CanStartDosing);

        var given = session.OverrideGate(gate, "Discussed with the patient; benefit outweighs the risk today", facts, Settings, Physician, At);

        var checklist = session.EvaluatePreDoseChecks(facts, Settings, At);
        var result = checklist[gate];
        Assert.Equal(GateStatus.Overridden, result.Status);
        Assert.Equal(given, result.Override);
        Assert.Equal(Physician, given.By);
        Assert.Equal(At, given.At);
        Assert.StartsWith("Overridden by Dr Petra Physician at 09:10: Discussed with the patient", result.Sentence, StringComparison.Ordinal);
        Assert.True(checklist.CanStartDosing);
        session.PassPreDoseChecks(facts, Settings, Nurse, At);
        Assert.Equal(SessionState.PreDoseChecksPassed, session.State);
    }

    [Theory]
    [MemberData(nameof(OverridableFailures))]
    public void A_nurse_may_not_override_a_gate(PreDoseGate gate, string unused)
    {
        _ = unused;
        var (session, facts) = Failing(gate);

        var error = Assert.Throws<DomainValidationException>(() => session.OverrideGate(gate, "Busy day", facts, Settings, Nurse, At));

        Assert.Equal("by", Assert.Single(error.Errors).Field);
        Assert.Contains("only a physician", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Overrides);
        Assert.Equal(GateStatus.NotMet, session.EvaluatePreDoseChecks(facts, Settings, At)[gate].Status);
        Assert.Throws<SessionTransitionException>(() => session.PassPreDoseChecks(facts, Settings, Nurse, At));
    }

    [Fact]
    public void An_override_needs_a_reason()
    {
        var (session, facts) = Failing(PreDoseGate.Companion);

        var error = Assert.Throws<DomainValidationException>(() => session.OverrideGate(PreDoseGate.Companion, "  ", facts, Settings, Physician, At));

        Assert.Equal("reason", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void A_gate_that_is_met_has_nothing_to_override()
    {
        var session = Session();

        var error = Assert.Throws<DomainValidationException>(() => session.OverrideGate(PreDoseGate.Fasting, "just in case", GoodFacts(Iv, At), Settings, Physician, At));

        Assert.Contains("is met; there is nothing to override", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rems_enrolment_cannot_be_overridden_even_by_a_physician()
    {
        var session = Session(Esketamine);
        var facts = GoodFacts(Esketamine, At) with { RemsEnrolled = false };

        var error = Assert.Throws<DomainValidationException>(() => session.OverrideGate(PreDoseGate.RemsEnrollment, "Enrolment form is in the post", facts, Settings, Physician, At));

        Assert.Equal("gate", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void A_blood_pressure_override_lapses_when_a_new_reading_comes_in()
    {
        var (session, facts) = Failing(PreDoseGate.BloodPressure);
        session.OverrideGate(PreDoseGate.BloodPressure, "White-coat hypertension, usual 150/85", facts, Settings, Physician, At);
        Assert.Equal(GateStatus.Overridden, session.EvaluatePreDoseChecks(facts, Settings, At)[PreDoseGate.BloodPressure].Status);

        session.RecordVitals(Vitals(At.AddMinutes(2), 176m, 104m), Settings);

        var result = session.EvaluatePreDoseChecks(facts, Settings, At.AddMinutes(3))[PreDoseGate.BloodPressure];
        Assert.Equal(GateStatus.NotMet, result.Status);
        Assert.Contains("no longer applies", result.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_vital_override_holds_while_other_values_keep_streaming()
    {
        var (session, facts) = Failing(PreDoseGate.VitalsTaken);
        session.OverrideGate(PreDoseGate.VitalsTaken, "Monitor has no heart rate module; pulse palpated at 70", facts, Settings, Physician, At);

        session.RecordVital(Monitor(VitalKind.OxygenSaturation, 97m, At.AddMinutes(1)), Settings);

        Assert.Equal(GateStatus.Overridden, session.EvaluatePreDoseChecks(facts, Settings, At.AddMinutes(2))[PreDoseGate.VitalsTaken].Status);
    }

    [Fact]
    public void Overrides_are_taken_only_between_check_in_and_dosing()
    {
        var session = DosingSession();

        var error = Assert.Throws<DomainValidationException>(() =>
            session.OverrideGate(PreDoseGate.Companion, "x", GoodFacts(Iv, At) with { Companion = null }, Settings, Physician, T0.AddMinutes(20)));

        Assert.Contains("'dosing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passing_the_checks_is_refused_with_every_gate_still_missing()
    {
        var session = Session();
        var facts = GoodFacts(Iv, At) with { Companion = null, OpenSafetyAlerts = null };

        var error = Assert.Throws<SessionTransitionException>(() => session.PassPreDoseChecks(facts, Settings, Nurse, At));

        Assert.Equal(SessionState.CheckedIn, error.Current);
        Assert.Equal(SessionState.PreDoseChecksPassed, error.Attempted);
        Assert.Equal(2, error.Outstanding.Count);
        Assert.StartsWith("Companion to drive home: Not met", error.Outstanding[0], StringComparison.Ordinal);
        Assert.StartsWith("Safety alerts acknowledged: Not met", error.Outstanding[1], StringComparison.Ordinal);
        Assert.Equal(SessionState.CheckedIn, session.State);
    }

    [Fact]
    public void Dosing_re_runs_the_checks_and_stops_on_a_blood_pressure_taken_since()
    {
        var session = ChecksPassed();
        session.RecordVitals(Vitals(T0.AddMinutes(12), 168m, 98m), Settings);

        var error = Assert.Throws<SessionTransitionException>(() => session.StartDosing(Settings, Nurse, T0.AddMinutes(15)));

        Assert.Contains(error.Outstanding, o => o.StartsWith("Blood pressure under the hold limit: Hold dosing", StringComparison.Ordinal));
        Assert.Equal(SessionState.PreDoseChecksPassed, session.State);
    }

    [Fact]
    public void The_checks_can_be_run_again_while_they_stand_passed()
    {
        var session = ChecksPassed();
        session.RecordVitals(Vitals(T0.AddMinutes(50)), Settings);

        session.PassPreDoseChecks(GoodFacts(Iv, T0.AddMinutes(52)), Settings, Nurse, T0.AddMinutes(52));
        session.StartDosing(Settings, Nurse, T0.AddMinutes(55));

        Assert.Equal(SessionState.Dosing, session.State);
        Assert.True(session.ChecklistAtDosing!.CanStartDosing);
    }

    [Fact]
    public void Gate_codes_are_stable_kebab_case()
    {
        Assert.Equal(
            ["consent", "eligibility", "rems-enrollment", "rating-scales", "vitals-taken", "blood-pressure", "fasting", "companion", "pregnancy", "medication-review", "weight", "safety-alerts"],
            PreDoseGates.All.Select(g => g.Code()));
        Assert.All(PreDoseGates.All, g => Assert.Equal(g, PreDoseGates.Parse(g.Code())));
    }
}
