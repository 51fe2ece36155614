using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class SessionWorkflowTests
{
    public static TheoryData<SessionState, SessionState> AllMoves()
    {
        var data = new TheoryData<SessionState, SessionState>();
        foreach (var from in Enum.GetValues<SessionState>())
        {
            foreach (var to in Enum.GetValues<SessionState>().Where(s => s != SessionState.Scheduled))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllMoves))]
    public void Every_move_is_allowed_exactly_when_the_workflow_allows_it(SessionState from, SessionState to)
    {
        var session = SessionStatesHelper.In(from);
        Assert.Equal(from, session.State);
        var historyBefore = session.History.ToList();

        if (SessionWorkflow.IsAllowed(from, to))
        {
            SessionStatesHelper.Attempt(session, to);

            Assert.Equal(to, session.State);
            var last = session.History[^1];
            Assert.Equal(from, last.From);
            Assert.Equal(to, last.To);
            Assert.Equal(SessionStatesHelper.Later, last.At);
            Assert.Equal(historyBefore, session.History.Take(historyBefore.Count));
        }
        else
        {
            var error = Assert.Throws<SessionTransitionException>(() => SessionStatesHelper.Attempt(session, to));

            Assert.Equal(from, error.Current);
            Assert.Equal(to, error.Attempted);
            Assert.Contains($"'{from.Code()}'", error.Message, StringComparison.Ordinal);
            Assert.Contains($"'{to.Code()}'", error.Message, StringComparison.Ordinal);
            Assert.Equal(from, session.State);
            Assert.Equal(historyBefore, session.History);
        }
    }

    [Fact]
    public void The_happy_path_runs_from_booking_to_discharge_and_keeps_who_and_when()
    {
        var session = SessionStatesHelper.In(SessionState.Discharged);

        Assert.Equal(
            [SessionState.Scheduled, SessionState.CheckedIn, SessionState.PreDoseChecksPassed, SessionState.Dosing, SessionState.Monitoring, SessionState.Recovery, SessionState.Discharged],
            session.History.Select(t => t.To));
        Assert.Null(session.History[0].From);
        Assert.Equal(FrontDesk, session.History[1].By);
        Assert.Equal(T0, session.History[1].At);
        Assert.Equal(Nurse, session.History[^1].By);
        Assert.Equal(T0.AddMinutes(100), session.History[^1].At);
    }

    [Fact]
    public void Dosing_before_the_checks_names_the_states_and_what_is_needed()
    {
        var session = CheckedIn();

        var error = Assert.Throws<SessionTransitionException>(() => session.StartDosing(Settings, Nurse, T0.AddMinutes(5)));

        Assert.Equal(
            "Cannot move the session from 'checked-in' to 'dosing': it needs the pre-dose checks passed (pre-dose-checks-passed) and still met or overridden when dosing starts.",
            error.Message);
    }

    [Fact]
    public void A_closed_session_says_it_accepts_no_further_changes()
    {
        var session = SessionStatesHelper.In(SessionState.Discharged);

        var error = Assert.Throws<SessionTransitionException>(() => session.StopEarly("late", "none", Nurse, T0.AddHours(4)));

        Assert.Contains("the session is discharged and accepts no further changes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stop_records_the_state_it_stopped_from_the_reason_and_the_follow_up()
    {
        var session = MonitoringSession();

        session.StopEarly("Severe hypertension 192/118", "Sent to the emergency department; physician to call tonight", Physician, T0.AddMinutes(70));

        Assert.Equal(SessionState.StoppedEarly, session.State);
        Assert.Equal(new SessionStop(SessionState.Monitoring, "Severe hypertension 192/118", "Sent to the emergency department; physician to call tonight", Physician, T0.AddMinutes(70)), session.Stop);
        Assert.Equal("Severe hypertension 192/118", session.History[^1].Reason);
    }

    [Fact]
    public void A_stop_needs_a_reason_and_a_follow_up()
    {
        var session = CheckedIn();

        var error = Assert.Throws<DomainValidationException>(() => session.StopEarly(" ", "", Nurse, T0.AddMinutes(5)));

        Assert.Equal(["reason", "followUp"], error.Errors.Select(e => e.Field));
        Assert.Equal(SessionState.CheckedIn, session.State);
    }

    [Fact]
    public void Stopping_during_dosing_keeps_the_partial_dose_for_the_ledger()
    {
        var session = DosingSession();
        var input = RecordInput(session, T0.AddMinutes(15)) with
        {
            GivenDose = new DoseMg(20m),
            EndedAt = T0.AddMinutes(35),
            DoseDifferenceReason = "Infusion stopped at 20 minutes for agitation",
            DurationDifferenceReason = "Stopped early",
            InfusionVolumeMl = 50m,
        };
        var record = DosingRecord.Create(input, session.Protocol, Settings.DosingRecord);

        session.StopEarly("Agitation", "Review at next visit", Physician, T0.AddMinutes(36), record);

        Assert.Equal(SessionState.Dosing, session.Stop!.StoppedFrom);
        Assert.Equal(new DoseMg(20m), session.AdministeredDose!.Amount);
    }

    [Fact]
    public void A_dose_record_with_a_stop_is_refused_outside_dosing()
    {
        var session = MonitoringSession();
        var record = Record(session, T0.AddMinutes(15));

        var error = Assert.Throws<DomainValidationException>(() => session.StopEarly("x", "y", Nurse, T0.AddMinutes(70), record));

        Assert.Equal("doseGiven", Assert.Single(error.Errors).Field);
        Assert.Equal(SessionState.Monitoring, session.State);
    }

    [Fact]
    public void Cancelling_needs_a_reason()
    {
        var session = Scheduled();

        var error = Assert.Throws<DomainValidationException>(() => session.Cancel("", FrontDesk, T0));

        Assert.Equal("reason", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void A_move_dated_before_the_last_step_is_refused_to_keep_the_history_in_order()
    {
        var session = CheckedIn();

        var error = Assert.Throws<DomainValidationException>(() => session.StopEarly("x", "y", Nurse, T0.AddMinutes(-1)));

        Assert.Equal("at", Assert.Single(error.Errors).Field);
        Assert.Equal(SessionState.CheckedIn, session.State);
    }

    [Fact]
    public void Clinical_moves_need_a_nurse_or_physician()
    {
        var session = CheckedIn();
        session.RecordVitals(Vitals(T0.AddMinutes(5)), Settings);

        var error = Assert.Throws<DomainValidationException>(() =>
            session.PassPreDoseChecks(GoodFacts(Iv, T0.AddMinutes(10)), Settings, FrontDesk, T0.AddMinutes(10)));

        Assert.Equal("by", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void Every_move_names_who_with_an_id_and_a_name()
    {
        var session = Scheduled();

        var error = Assert.Throws<DomainValidationException>(() => session.CheckIn(new SessionActor("", " ", StaffRole.Nurse), T0));

        Assert.Equal(["by.userId", "by.name"], error.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Recovery_waits_until_every_alert_is_acknowledged()
    {
        var session = MonitoringSession();
        var alert = Assert.Single(session.RecordVital(Monitor(VitalKind.OxygenSaturation, 89m, T0.AddMinutes(57)), Settings));

        var error = Assert.Throws<SessionTransitionException>(() => session.BeginRecovery(Nurse, T0.AddMinutes(60)));
        Assert.Contains("is not acknowledged", Assert.Single(error.Outstanding), StringComparison.Ordinal);

        session.AcknowledgeAlert(alert.Number, "Repositioned probe, SpO2 97 %", Nurse, T0.AddMinutes(58));
        session.BeginRecovery(Nurse, T0.AddMinutes(60));
        Assert.Equal(SessionState.Recovery, session.State);
    }

    [Theory]
    [InlineData(SessionState.Scheduled, "scheduled")]
    [InlineData(SessionState.CheckedIn, "checked-in")]
    [InlineData(SessionState.PreDoseChecksPassed, "pre-dose-checks-passed")]
    [InlineData(SessionState.Dosing, "dosing")]
    [InlineData(SessionState.Monitoring, "monitoring")]
    [InlineData(SessionState.Recovery, "recovery")]
    [InlineData(SessionState.Discharged, "discharged")]
    [InlineData(SessionState.StoppedEarly, "stopped-early")]
    [InlineData(SessionState.Cancelled, "cancelled")]
    [InlineData(SessionState.NoShow, "no-show")]
    public void State_codes_are_kebab_case_and_read_back(SessionState state, string code)
    {
        Assert.Equal(code, state.Code());
        Assert.Equal(state, SessionStates.Parse(code));
    }

    [Fact]
    public void An_unknown_state_code_is_refused_naming_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => SessionStates.Parse("in-chair"));

        Assert.Contains("checked-in", error.Message, StringComparison.Ordinal);
    }
}
