using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Domain.Tests.Outcomes;

public class OutcomeClassifierTests
{
    private static Course Phq9() => new("phq9");

    private static Course Madrs() => new("madrs");

    [Fact]
    public void Without_a_score_before_the_first_session_the_course_needs_a_baseline_and_is_not_classified()
    {
        var outcome = Phq9().Score(1, 20).Score(7, 4).Classify();

        Assert.Equal(OutcomeStatus.NeedsBaseline, outcome.Status);
        Assert.Null(outcome.Baseline);
        Assert.Equal(4, outcome.Latest!.Total);
        Assert.Null(outcome.ChangePercent);
        Assert.Null(outcome.FirstResponseAt);
        Assert.Null(outcome.FirstRemissionAt);
        Assert.Contains("before the first session", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rating_taken_just_before_the_first_infusion_is_the_baseline()
    {
        var outcome = Phq9().Score(0, 20).Score(7, 9).Classify();

        Assert.Equal(20, outcome.Baseline!.Total);
        Assert.Equal(OutcomeStatus.Response, outcome.Status);
    }

    [Fact]
    public void A_course_with_no_scores_at_all_needs_a_baseline()
    {
        var outcome = Phq9().Classify();

        Assert.Equal(OutcomeStatus.NeedsBaseline, outcome.Status);
        Assert.Null(outcome.Latest);
    }

    [Fact]
    public void A_score_taken_at_the_first_session_instant_is_not_a_baseline()
    {
        var outcome = Phq9().ScoreAt(Course.FirstSession, 20).Classify();

        Assert.Equal(OutcomeStatus.NeedsBaseline, outcome.Status);
    }

    [Fact]
    public void The_baseline_is_the_last_score_before_the_first_session()
    {
        var outcome = Phq9().Score(-20, 24).Score(-2, 20).Score(3, 15).Classify();

        Assert.Equal(20, outcome.Baseline!.Total);
        Assert.Equal(Course.ScoredOn(-2), outcome.Baseline.TakenAt);
        Assert.Equal(-25.0m, outcome.ChangePercent);
    }

    [Fact]
    public void Scores_on_other_instruments_are_ignored()
    {
        var outcome = Phq9().Score(-1, 20).OtherInstrument("gad7", 3, 2).Score(7, 12).Classify();

        Assert.Equal(12, outcome.Latest!.Total);
        Assert.Equal(OutcomeStatus.NotResponding, outcome.Status);
    }

    [Fact]
    public void With_only_a_baseline_the_patient_is_not_yet_responding()
    {
        var outcome = Phq9().Score(-1, 20).Classify();

        Assert.Equal(OutcomeStatus.NotResponding, outcome.Status);
        Assert.Equal(0m, outcome.ChangePercent);
    }

    [Theory]
    [InlineData(11, OutcomeStatus.NotResponding)]
    [InlineData(10, OutcomeStatus.Response)]
    [InlineData(5, OutcomeStatus.Response)]
    [InlineData(4, OutcomeStatus.Remission)]
    [InlineData(0, OutcomeStatus.Remission)]
    public void Phq9_response_is_half_of_baseline_and_remission_is_below_five(int latest, OutcomeStatus expected)
    {
        var outcome = Phq9().Score(-1, 20).Score(10, latest).Classify();

        Assert.Equal(expected, outcome.Status);
    }

    [Fact]
    public void A_fifty_percent_drop_is_exactly_a_response()
    {
        var outcome = Phq9().Score(-1, 21).Score(7, 11).Score(14, 10).Classify();

        // 21 → 11 is a 47.6 % drop; 21 → 10 is 52.4 %.
        Assert.Equal(Course.ScoredOn(14), outcome.FirstResponseAt);
        Assert.Equal(-52.4m, outcome.ChangePercent);
    }

    [Fact]
    public void The_percent_change_is_rounded_to_one_decimal()
    {
        var outcome = Phq9().Score(-1, 21).Score(7, 13).Classify();

        Assert.Equal(-38.1m, outcome.ChangePercent);
    }

    [Fact]
    public void Remission_is_never_reported_without_response_even_below_the_threshold()
    {
        // 7 → 4 is below the PHQ-9 remission threshold but only a 43 % drop.
        var outcome = Phq9().Score(-1, 7).Score(7, 4).Classify();

        Assert.Equal(OutcomeStatus.NotResponding, outcome.Status);
        Assert.Null(outcome.FirstRemissionAt);
        Assert.Null(outcome.FirstResponseAt);
    }

    [Fact]
    public void First_response_and_first_remission_dates_are_recorded()
    {
        var outcome = Phq9().Score(-1, 22).Score(3, 16).Score(7, 10).Score(14, 6).Score(21, 3).Score(28, 2).Classify();

        Assert.Equal(Course.ScoredOn(7), outcome.FirstResponseAt);
        Assert.Equal(Course.ScoredOn(21), outcome.FirstRemissionAt);
        Assert.Equal(OutcomeStatus.Remission, outcome.Status);
    }

    [Fact]
    public void The_current_status_follows_the_latest_score()
    {
        var outcome = Phq9().Score(-1, 20).Score(7, 4).Score(14, 12).Classify();

        Assert.Equal(OutcomeStatus.NotResponding, outcome.Status);
        Assert.Equal(Course.ScoredOn(7), outcome.FirstRemissionAt);
    }

    [Fact]
    public void Madrs_remission_defaults_to_ten_as_in_escape_trd_and_can_be_set_to_twelve_as_in_sustain_1()
    {
        var course = Madrs().Score(-1, 34).Score(14, 12);
        var sustain = OutcomeSettings.Default.WithInstrument(new InstrumentOutcomeThresholds(
            "madrs",
            new ClinicalSetting<int>(12, "SUSTAIN-1 (Daly 2019), ASPIRE: MADRS ≤ 12"),
            OutcomeSettings.Default.ThresholdsFor("madrs").RelapseAtOrAbove));

        Assert.Equal(OutcomeStatus.Response, course.Classify().Status);
        Assert.Equal(OutcomeStatus.Remission, course.Classify(sustain).Status);
    }

    [Fact]
    public void Madrs_at_or_above_22_on_two_assessments_a_week_apart_after_remission_is_a_relapse_dated_at_the_first()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(14, 8).Score(30, 24).Score(37, 26).Classify();

        Assert.Equal(OutcomeStatus.Relapse, outcome.Status);
        Assert.Equal(Course.ScoredOn(30), outcome.RelapseAt);
        Assert.Equal(RelapseTrigger.ConsecutiveAssessments, outcome.RelapseTrigger);
    }

    [Fact]
    public void A_single_score_at_the_relapse_cut_off_is_not_a_relapse()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(30, 24).Classify();

        Assert.Null(outcome.RelapseAt);
        Assert.Equal(OutcomeStatus.NotResponding, outcome.Status);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(15, true)]
    [InlineData(16, false)]
    public void The_two_relapse_assessments_must_be_5_to_15_days_apart(int gap, bool relapse)
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(30, 22).Score(30 + gap, 22).Classify();

        Assert.Equal(relapse, outcome.RelapseAt is not null);
    }

    [Fact]
    public void Relapse_days_are_counted_in_calendar_dates()
    {
        // 23:00 on day 30 to 01:00 on day 35 is 4 days 2 hours of elapsed time but 5 calendar days.
        var outcome = Madrs().Score(-1, 34).Score(7, 14)
            .ScoreAt(new DateTimeOffset(Course.FirstSession.Date.AddDays(30).AddHours(23), Course.FirstSession.Offset), 25)
            .ScoreAt(new DateTimeOffset(Course.FirstSession.Date.AddDays(35).AddHours(1), Course.FirstSession.Offset), 25)
            .Classify();

        Assert.NotNull(outcome.RelapseAt);
    }

    [Fact]
    public void Only_consecutive_assessments_count_toward_relapse()
    {
        // 24 and 26 are 10 days apart, but a score of 12 lies between them.
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(20, 24).Score(25, 12).Score(30, 26).Classify();

        Assert.Null(outcome.RelapseAt);
    }

    [Fact]
    public void A_pair_too_close_together_does_not_hide_a_later_qualifying_pair()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(30, 24).Score(33, 26).Score(40, 25).Classify();

        Assert.Equal(Course.ScoredOn(33), outcome.RelapseAt);
    }

    [Fact]
    public void Persistently_high_scores_without_a_prior_response_are_not_a_relapse()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 30).Score(14, 28).Score(21, 30).Classify();

        Assert.Null(outcome.RelapseAt);
        Assert.Equal(OutcomeStatus.NotResponding, outcome.Status);
    }

    [Fact]
    public void Phq9_relapse_uses_the_moderate_cut_off_of_ten()
    {
        var outcome = Phq9().Score(-1, 20).Score(7, 4).Score(20, 10).Score(27, 11).Classify();

        Assert.Equal(Course.ScoredOn(20), outcome.RelapseAt);
    }

    [Fact]
    public void Hospitalisation_after_response_is_a_relapse_dated_at_admission()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14)
            .Event(CourseEventKind.HospitalisationForWorseningDepression, 20)
            .Classify();

        Assert.Equal(OutcomeStatus.Relapse, outcome.Status);
        Assert.Equal(Course.Day(20), outcome.RelapseAt);
        Assert.Equal(RelapseTrigger.Hospitalisation, outcome.RelapseTrigger);
    }

    [Fact]
    public void A_suicide_attempt_after_response_is_a_relapse()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Event(CourseEventKind.SuicideAttempt, 12).Classify();

        Assert.Equal(RelapseTrigger.SuicideAttempt, outcome.RelapseTrigger);
        Assert.Equal(Course.Day(12), outcome.RelapseAt);
    }

    [Fact]
    public void Events_before_any_response_are_not_a_relapse()
    {
        var outcome = Madrs().Score(-1, 34).Event(CourseEventKind.HospitalisationForSuicidePrevention, 3).Score(7, 14).Classify();

        Assert.Null(outcome.RelapseAt);
        Assert.Equal(OutcomeStatus.Response, outcome.Status);
    }

    [Fact]
    public void The_earlier_of_an_event_and_a_qualifying_pair_dates_the_relapse()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(30, 24).Score(37, 26)
            .Event(CourseEventKind.HospitalisationForWorseningDepression, 35)
            .Classify();

        Assert.Equal(Course.ScoredOn(30), outcome.RelapseAt);
        Assert.Equal(RelapseTrigger.ConsecutiveAssessments, outcome.RelapseTrigger);
    }

    [Fact]
    public void After_a_relapse_the_status_returns_to_response_only_when_response_is_met_again()
    {
        var relapsed = Madrs().Score(-1, 34).Score(7, 14).Score(30, 24).Score(37, 26).Score(44, 20);
        var recovered = Madrs().Score(-1, 34).Score(7, 14).Score(30, 24).Score(37, 26).Score(44, 20).Score(51, 9);

        Assert.Equal(OutcomeStatus.Relapse, relapsed.Classify().Status);
        var outcome = recovered.Classify();
        Assert.Equal(OutcomeStatus.Remission, outcome.Status);
        Assert.Equal(Course.ScoredOn(30), outcome.RelapseAt);
    }

    [Fact]
    public void A_second_relapse_after_renewed_response_shows_as_the_current_status()
    {
        var outcome = Madrs().Score(-1, 34).Score(7, 14).Score(30, 24).Score(37, 26).Score(51, 9).Score(70, 23).Score(77, 25).Classify();

        Assert.Equal(OutcomeStatus.Relapse, outcome.Status);
        Assert.Equal(Course.ScoredOn(30), outcome.RelapseAt);
    }

    [Fact]
    public void Durability_counts_days_from_the_last_session_before_response_is_lost()
    {
        // Six infusions over 12 days; response from day 7; response lost on day 29, 18 days after the last infusion.
        var outcome = Phq9().Sessions(0, 2, 4, 7, 9, 11)
            .Score(-1, 20).Score(7, 9).Score(14, 6).Score(21, 8).Score(29, 14)
            .Classify();

        Assert.Equal(Course.ScoredOn(29), outcome.LossOfResponseAt);
        Assert.Equal(18, outcome.DurabilityDays);
    }

    [Fact]
    public void Durability_is_not_reported_while_response_holds()
    {
        var outcome = Phq9().Sessions(0, 2, 4).Score(-1, 20).Score(7, 9).Score(30, 8).Classify();

        Assert.Null(outcome.LossOfResponseAt);
        Assert.Null(outcome.DurabilityDays);
    }

    [Fact]
    public void The_first_session_counts_as_a_session_even_when_the_list_leaves_it_out()
    {
        var outcome = Phq9().Score(-1, 20).Score(3, 8).Score(10, 15).Classify();

        Assert.Equal(10, outcome.DurabilityDays);
    }

    [Fact]
    public void A_session_on_the_day_of_the_lost_response_but_after_the_rating_does_not_count()
    {
        // Ratings are taken an hour before the day's session.
        var outcome = Phq9().Sessions(0, 5, 10).Score(-1, 20).Score(3, 8).Score(10, 15).Classify();

        Assert.Equal(5, outcome.DurabilityDays);
    }

    [Fact]
    public void A_baseline_of_zero_needs_review_because_no_percentage_can_be_computed()
    {
        var outcome = Phq9().Score(-1, 0).Score(7, 0).Classify();

        Assert.Equal(OutcomeStatus.NeedsReview, outcome.Status);
        Assert.NotNull(outcome.Reason);
        Assert.Null(outcome.ChangePercent);
    }

    [Fact]
    public void An_instrument_without_configured_thresholds_cannot_be_classified()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => new Course("gad7").Score(-1, 15).Classify());

        Assert.Contains("gad7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_before_the_first_session_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Phq9().Sessions(-3).Score(-5, 20).Classify());
    }

    [Fact]
    public void A_negative_total_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Phq9().Score(-1, 20).Score(7, -1).Classify());
    }

    [Fact]
    public void The_response_threshold_is_a_setting()
    {
        var stricter = OutcomeSettings.Default.WithResponseReduction(new ClinicalSetting<decimal>(60m, "Clinic policy"));

        Assert.Equal(OutcomeStatus.Response, Phq9().Score(-1, 20).Score(7, 10).Classify().Status);
        Assert.Equal(OutcomeStatus.NotResponding, Phq9().Score(-1, 20).Score(7, 10).Classify(stricter).Status);
    }

    [Theory]
    [InlineData(OutcomeStatus.NeedsBaseline, "needs-baseline")]
    [InlineData(OutcomeStatus.NeedsReview, "needs-review")]
    [InlineData(OutcomeStatus.NotResponding, "non-response")]
    [InlineData(OutcomeStatus.Response, "response")]
    [InlineData(OutcomeStatus.Remission, "remission")]
    [InlineData(OutcomeStatus.Relapse, "relapse")]
    public void Statuses_have_stable_codes(OutcomeStatus status, string code)
    {
        Assert.Equal(code, status.ToCode());
    }
}
