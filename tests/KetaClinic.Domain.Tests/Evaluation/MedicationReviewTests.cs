using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class MedicationReviewTests
{
    private static MedicationReviewResult Review(params CurrentMedication[] medications) =>
        MedicationReview.Review(medications, ConcomitantMedicationTable.Default, AntidepressantCatalogue.Default, EligibilitySettings.Default);

    [Theory]
    [InlineData("diazepam", 10, 10)]
    [InlineData("lorazepam", 1, 10)]
    [InlineData("lorazepam", 2.5, 25)]
    [InlineData("clonazepam", 0.5, 10)]
    [InlineData("alprazolam", 0.25, 5)]
    [InlineData("temazepam", 20, 10)]
    [InlineData("chlordiazepoxide", 50, 20)]
    [InlineData("Xanax", 1, 20)]
    public void Benzodiazepines_are_converted_to_diazepam_equivalents(string drug, double doseMg, double equivalentMg)
    {
        var result = Review(new CurrentMedication(drug, (decimal)doseMg));

        Assert.Equal((decimal)equivalentMg, result.DiazepamEquivalentMgPerDay);
        Assert.Equal((decimal)equivalentMg, Assert.Single(result.Benzodiazepines).DiazepamEquivalentMgPerDay);
    }

    [Fact]
    public void Exactly_eight_mg_diazepam_equivalent_is_not_flagged()
    {
        var result = Review(new CurrentMedication("diazepam", 8m));

        Assert.DoesNotContain(ReasonCodes.BenzodiazepineAboveThreshold, result.Reasons.Codes());
        Assert.Contains(ReasonCodes.BenzodiazepineWithinThreshold, result.Reasons.Codes());
    }

    [Fact]
    public void Just_over_eight_mg_diazepam_equivalent_is_flagged_as_linked_to_weaker_response()
    {
        var result = Review(new CurrentMedication("diazepam", 8.5m));

        var reason = Assert.Single(result.Reasons, r => r.Code == ReasonCodes.BenzodiazepineAboveThreshold);
        Assert.Equal(ReasonEffect.Caution, reason.Effect);
        Assert.Contains("Andrashko", reason.Source, StringComparison.Ordinal);
        Assert.Contains("Ashton", reason.Source, StringComparison.Ordinal);
        Assert.Contains(result.Flags, f => f.Concern == MedicationConcern.BenzodiazepineLoadAboveThreshold);
    }

    [Fact]
    public void Several_benzodiazepines_add_up()
    {
        // 0.5 mg lorazepam = 5 mg, 5 mg diazepam = 5 mg: 10 mg in total, above the threshold though each alone is not.
        var result = Review(new CurrentMedication("lorazepam", 0.5m), new CurrentMedication("diazepam", 5m));

        Assert.Equal(10m, result.DiazepamEquivalentMgPerDay);
        Assert.Contains(ReasonCodes.BenzodiazepineAboveThreshold, result.Reasons.Codes());
    }

    [Fact]
    public void The_threshold_follows_the_clinic_setting()
    {
        var settings = EligibilitySettings.Default with { BenzodiazepineDiazepamEquivalentThresholdMgPerDay = new(15m, "clinic policy") };

        var result = MedicationReview.Review([new CurrentMedication("lorazepam", 1m)],
            ConcomitantMedicationTable.Default, AntidepressantCatalogue.Default, settings);

        Assert.Contains(ReasonCodes.BenzodiazepineWithinThreshold, result.Reasons.Codes());
    }

    [Fact]
    public void A_benzodiazepine_without_a_dose_leaves_the_load_unknown_and_needs_review()
    {
        var result = Review(new CurrentMedication("clonazepam", null));

        Assert.Null(result.DiazepamEquivalentMgPerDay);
        var reason = Assert.Single(result.Reasons, r => r.Code == ReasonCodes.BenzodiazepineDoseMissing);
        Assert.Equal(ReasonEffect.NeedsReview, reason.Effect);
        Assert.Equal("clonazepam", reason.Subject);
    }

    [Fact]
    public void Benzodiazepines_also_add_sedation()
    {
        var result = Review(new CurrentMedication("lorazepam", 0.5m));

        Assert.Contains(result.Flags, f => f is { Medication: "lorazepam", Concern: MedicationConcern.AddsSedation });
    }

    [Theory]
    [InlineData("phenelzine")]
    [InlineData("Parnate")]
    [InlineData("selegiline")]
    [InlineData("methylphenidate")]
    [InlineData("lisdexamfetamine")]
    [InlineData("modafinil")]
    public void Maois_and_psychostimulants_are_flagged_for_blood_pressure(string drug)
    {
        var result = Review(new CurrentMedication(drug, 10m));

        var flag = Assert.Single(result.Flags);
        Assert.Equal(MedicationConcern.RaisesBloodPressure, flag.Concern);
        Assert.Equal(ReasonCodes.MedicationRaisesBloodPressure, Assert.Single(result.Reasons).Code);
    }

    [Theory]
    [InlineData("oxycodone")]
    [InlineData("tramadol")]
    [InlineData("zolpidem")]
    [InlineData("pregabalin")]
    public void Opioids_and_sedatives_are_flagged_for_sedation(string drug)
    {
        var result = Review(new CurrentMedication(drug, null));

        Assert.Equal(MedicationConcern.AddsSedation, Assert.Single(result.Flags).Concern);
        Assert.Empty(result.Benzodiazepines);
    }

    [Fact]
    public void Lamotrigine_is_flagged_for_blunting_ketamine()
    {
        var result = Review(new CurrentMedication("lamotrigine", 200m));

        Assert.Equal(MedicationConcern.BluntsKetamineEffect, Assert.Single(result.Flags).Concern);
        Assert.Contains("blunt", Assert.Single(result.Reasons).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_medications_raise_no_flag()
    {
        var result = Review(new CurrentMedication("levothyroxine", 0.1m), new CurrentMedication("sertraline", 100m));

        Assert.Empty(result.Flags);
        Assert.Empty(result.Reasons);
        Assert.Equal(0m, result.DiazepamEquivalentMgPerDay);
    }

    [Fact]
    public void Medication_flags_are_cautions_that_leave_an_eligible_patient_eligible()
    {
        var input = Fixtures.EligiblePatient() with
        {
            CurrentMedications = [new CurrentMedication("clonazepam", 2m), new CurrentMedication("methylphenidate", 20m)],
        };

        var result = Fixtures.Evaluate(input);

        Assert.Equal(EligibilityDecision.Eligible, result.Decision);
        Assert.Equal(40m, result.Medications!.DiazepamEquivalentMgPerDay);
        Assert.Contains(ReasonCodes.BenzodiazepineAboveThreshold, result.ReasonsWith(ReasonEffect.Caution).Codes());
        Assert.Contains(ReasonCodes.MedicationRaisesBloodPressure, result.ReasonsWith(ReasonEffect.Caution).Codes());
    }
}
