using KetaClinic.Domain.Outcomes;
using KetaClinic.Domain.Protocols;
using static KetaClinic.Domain.Tests.Protocols.ProtocolFixtures;

namespace KetaClinic.Domain.Tests.Protocols;

public class ResponseGuidedPlannerTests
{
    private static PhaseProposal Propose(TreatmentProtocol protocol, TreatmentProgress progress) =>
        ResponseGuidedPlanner.Propose(protocol, progress, MaintenanceSettings.Default);

    private static TreatmentProgress Induction(int done, OutcomeStatus status) =>
        new("induction", done, done, null, 0, status, 20, [20, 14]);

    private static TreatmentProgress Maintenance(int interval, int stable, OutcomeStatus status, params int[] scores) =>
        new("maintenance", 4, 10, interval, stable, status, 30, scores);

    private static IEnumerable<string> Codes(PhaseProposal proposal) => proposal.Reasons.Select(r => r.Code);

    [Fact]
    public void The_induction_continues_while_sessions_remain()
    {
        var proposal = Propose(Iv, Induction(3, OutcomeStatus.Response));
        Assert.Equal(ProposalKind.ContinuePhase, proposal.Kind);
        Assert.Equal("induction", proposal.PhaseId);
        Assert.False(proposal.NeedsPhysicianReview);
        Assert.Equal("3 of 6 sessions of Induction given.", proposal.Reasons[0].Message);
    }

    [Fact]
    public void A_responder_after_the_induction_starts_maintenance_weekly()
    {
        var proposal = Propose(Iv, Induction(6, OutcomeStatus.Response));
        Assert.Equal(ProposalKind.StartMaintenance, proposal.Kind);
        Assert.Equal("maintenance", proposal.PhaseId);
        Assert.Equal(7, proposal.IntervalDays);
        Assert.False(proposal.NeedsPhysicianReview);
        Assert.Contains("start-maintenance", Codes(proposal));
    }

    [Fact]
    public void An_esketamine_responder_moves_from_twice_weekly_to_the_weekly_weeks()
    {
        var proposal = Propose(Esketamine, Induction(8, OutcomeStatus.Remission));
        Assert.Equal(ProposalKind.AdvancePhase, proposal.Kind);
        Assert.Equal("optimisation", proposal.PhaseId);
        Assert.Contains("remission", Codes(proposal));
    }

    [Fact]
    public void A_patient_not_responding_after_the_protocols_review_count_is_flagged_while_the_series_continues()
    {
        Assert.False(Propose(Iv, Induction(3, OutcomeStatus.NotResponding)).NeedsPhysicianReview);
        var proposal = Propose(Iv, Induction(4, OutcomeStatus.NotResponding));
        Assert.Equal(ProposalKind.ContinuePhase, proposal.Kind);
        Assert.True(proposal.NeedsPhysicianReview);
        Assert.Contains(proposal.Reasons, r => r.Code == "non-response" && r.Message.Contains("review after 4", StringComparison.Ordinal));
    }

    [Fact]
    public void A_non_responder_at_the_end_of_the_induction_is_held_for_the_physician()
    {
        var proposal = Propose(Iv, Induction(6, OutcomeStatus.NotResponding));
        Assert.Equal(ProposalKind.HoldForReview, proposal.Kind);
        Assert.True(proposal.NeedsPhysicianReview);
        Assert.Null(proposal.IntervalDays);
    }

    [Fact]
    public void Without_a_baseline_nothing_moves_on_without_review()
    {
        var during = Propose(Iv, Induction(2, OutcomeStatus.NeedsBaseline));
        Assert.Equal(ProposalKind.ContinuePhase, during.Kind);
        Assert.True(during.NeedsPhysicianReview);
        Assert.Contains("needs-baseline", Codes(during));

        var after = Propose(Iv, Induction(6, OutcomeStatus.NeedsBaseline));
        Assert.Equal(ProposalKind.HoldForReview, after.Kind);
        Assert.True(after.NeedsPhysicianReview);
    }

    [Fact]
    public void An_unclassifiable_outcome_in_maintenance_keeps_the_interval_for_review()
    {
        var proposal = Propose(Iv, Maintenance(14, 3, OutcomeStatus.NeedsReview, 8, 8));
        Assert.Equal(ProposalKind.HoldForReview, proposal.Kind);
        Assert.Equal(14, proposal.IntervalDays);
        Assert.True(proposal.NeedsPhysicianReview);
    }

    [Fact]
    public void The_interval_widens_after_enough_stable_sessions()
    {
        Assert.Equal(ProposalKind.KeepInterval, Propose(Iv, Maintenance(7, 1, OutcomeStatus.Response, 12, 12)).Kind);
        var proposal = Propose(Iv, Maintenance(7, 2, OutcomeStatus.Response, 12, 12));
        Assert.Equal(ProposalKind.WidenInterval, proposal.Kind);
        Assert.Equal(14, proposal.IntervalDays);
        Assert.Equal(28, Propose(Iv, Maintenance(14, 2, OutcomeStatus.Remission, 6, 5)).IntervalDays);
    }

    [Fact]
    public void The_widest_interval_is_kept()
    {
        var proposal = Propose(Iv, Maintenance(28, 5, OutcomeStatus.Remission, 6, 5));
        Assert.Equal(ProposalKind.KeepInterval, proposal.Kind);
        Assert.Equal(28, proposal.IntervalDays);
        Assert.Contains("at-widest-interval", Codes(proposal));
        Assert.Equal(14, Propose(Esketamine, Maintenance(14, 5, OutcomeStatus.Remission, 6, 5)).IntervalDays);
    }

    [Fact]
    public void Scores_worsening_toward_relapse_narrow_the_interval_one_step()
    {
        // Baseline 30: a rise of 6 points (20 % of baseline) from the recent best narrows the interval.
        var proposal = Propose(Iv, Maintenance(28, 4, OutcomeStatus.Response, 8, 10, 14));
        Assert.Equal(ProposalKind.NarrowInterval, proposal.Kind);
        Assert.Equal(14, proposal.IntervalDays);
        Assert.False(proposal.NeedsPhysicianReview);
        Assert.Contains(proposal.Reasons, r => r.Code == "worsening" && r.Message.Contains("6 above the recent best of 8", StringComparison.Ordinal));

        // A rise of 5 points does not.
        Assert.Equal(ProposalKind.WidenInterval, Propose(Iv, Maintenance(14, 4, OutcomeStatus.Response, 8, 13)).Kind);
    }

    [Fact]
    public void Worsening_at_the_shortest_interval_asks_for_review()
    {
        var proposal = Propose(Iv, Maintenance(7, 4, OutcomeStatus.Response, 8, 14));
        Assert.Equal(ProposalKind.KeepInterval, proposal.Kind);
        Assert.Equal(7, proposal.IntervalDays);
        Assert.True(proposal.NeedsPhysicianReview);
    }

    [Fact]
    public void Relapse_in_maintenance_returns_to_the_shortest_interval_with_review()
    {
        var proposal = Propose(Iv, Maintenance(28, 4, OutcomeStatus.Relapse, 8, 24, 25));
        Assert.Equal(ProposalKind.NarrowInterval, proposal.Kind);
        Assert.Equal(7, proposal.IntervalDays);
        Assert.True(proposal.NeedsPhysicianReview);
        Assert.Contains("relapse", Codes(proposal));
    }

    [Fact]
    public void Lost_response_in_maintenance_returns_to_the_shortest_interval_with_review()
    {
        var proposal = Propose(Iv, Maintenance(14, 1, OutcomeStatus.NotResponding, 8, 18));
        Assert.Equal(ProposalKind.NarrowInterval, proposal.Kind);
        Assert.Equal(7, proposal.IntervalDays);
        Assert.True(proposal.NeedsPhysicianReview);
    }

    [Fact]
    public void An_interval_off_the_ladder_is_read_as_the_step_below_and_said_so()
    {
        var proposal = Propose(Iv, Maintenance(10, 0, OutcomeStatus.Response, 8, 8));
        Assert.Equal(7, proposal.IntervalDays);
        Assert.Contains("interval-not-on-ladder", Codes(proposal));
    }

    [Fact]
    public void The_widening_count_is_a_setting()
    {
        var settings = MaintenanceSettings.Default with { WidenAfterStableSessions = new(4, "clinic policy: test") };
        var proposal = ResponseGuidedPlanner.Propose(Iv, Maintenance(7, 3, OutcomeStatus.Response, 12, 12), settings);
        Assert.Equal(ProposalKind.KeepInterval, proposal.Kind);
        Assert.Contains("3 of 4 stable sessions", proposal.Reasons[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_phase_is_refused()
    {
        Assert.Throws<KeyNotFoundException>(() => Propose(Iv, Induction(1, OutcomeStatus.Response) with { PhaseId = "weekly" }));
    }
}
