using KetaClinic.Domain.Common;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class DischargeOverrideTests
{
    private static readonly DateTimeOffset At = T0.AddMinutes(70);

    [Fact]
    public void A_physician_discharges_with_criteria_unmet_and_the_unmet_criteria_are_recorded_with_the_reason()
    {
        var session = SessionStatesHelper.In(SessionState.Recovery);
        var missing = session.EvaluateDischarge(At, Settings).Missing;
        Assert.NotEmpty(missing);

        var given = session.DischargeWithOverride("Transport leaves now; stable, seen by me", Settings, Physician, At);

        Assert.Equal(SessionState.Discharged, session.State);
        Assert.Equal(missing, given.UnmetCriteria);
        Assert.Equal(Physician, given.By);
        Assert.Same(given, session.DischargeOverride);
        Assert.Equal("Transport leaves now; stable, seen by me", session.History[^1].Reason);
        Assert.False(session.DischargeDecision!.CanDischarge);
    }

    [Fact]
    public void A_nurse_cannot_discharge_with_criteria_unmet_and_nothing_changes()
    {
        var session = SessionStatesHelper.In(SessionState.Recovery);

        var error = Assert.Throws<DomainValidationException>(() => session.DischargeWithOverride("Wants to go", Settings, Nurse, At));

        Assert.Contains(error.Errors, e => e.Field == "by" && e.Message.Contains("only a physician", StringComparison.Ordinal));
        Assert.Equal(SessionState.Recovery, session.State);
        Assert.Null(session.DischargeOverride);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_override_without_a_reason_is_refused_naming_the_reason(string reason)
    {
        var session = SessionStatesHelper.In(SessionState.Recovery);

        var error = Assert.Throws<DomainValidationException>(() => session.DischargeWithOverride(reason, Settings, Physician, At));

        Assert.Contains(error.Errors, e => e.Field == "reason");
        Assert.Equal(SessionState.Recovery, session.State);
    }

    [Fact]
    public void With_every_criterion_met_there_is_nothing_to_override()
    {
        var session = SessionStatesHelper.In(SessionState.Recovery);
        var at = T0.AddMinutes(100);
        session.RecordVitals(Vitals(at.AddMinutes(-1)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(at.AddMinutes(-1)));
        Assert.True(session.EvaluateDischarge(at, Settings).CanDischarge);

        var error = Assert.Throws<DomainValidationException>(() => session.DischargeWithOverride("Just in case", Settings, Physician, at));

        Assert.Contains("nothing to override", error.Message, StringComparison.Ordinal);
        Assert.Equal(SessionState.Recovery, session.State);
    }

    [Theory]
    [InlineData(SessionState.CheckedIn)]
    [InlineData(SessionState.Dosing)]
    [InlineData(SessionState.Monitoring)]
    [InlineData(SessionState.Discharged)]
    public void Outside_recovery_the_override_is_refused_by_the_workflow(SessionState state)
    {
        var session = SessionStatesHelper.In(state);

        Assert.Throws<SessionTransitionException>(() => session.DischargeWithOverride("Leaving", Settings, Physician, SessionStatesHelper.Later));

        Assert.Equal(state, session.State);
    }
}
