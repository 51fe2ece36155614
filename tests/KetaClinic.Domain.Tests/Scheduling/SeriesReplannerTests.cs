using KetaClinic.Domain.Common;
using KetaClinic.Domain.Scheduling;
using static KetaClinic.Domain.Tests.Scheduling.Clinic;

namespace KetaClinic.Domain.Tests.Scheduling;

public class SeriesReplannerTests
{
    private static readonly SchedulingSettings Settings = SchedulingSettings.Default;

    private static (ClinicCalendar Calendar, List<SeriesPlan> Plans) Booked(SchedulingSettings settings, params SeriesPlan[] plans)
    {
        var calendar = Calendar();
        foreach (var plan in plans)
        {
            var proposal = SeriesBooker.Propose(Request(plan), calendar, settings);
            Assert.True(proposal.Found, proposal.Explanation);
            calendar = calendar.With(proposal.Appointments);
        }

        return (calendar, [.. plans]);
    }

    private static DateTime At(int day, int hour, int minute = 0) => Day(day).ToDateTime(T(hour, minute));

    private static ReplanResult Replan(ClinicCalendar calendar, List<SeriesPlan> plans, Disruption disruption, SchedulingSettings? settings = null) =>
        SeriesReplanner.Replan(calendar, new ReplanRequest(disruption, plans, Day(0), Day(27)), settings ?? Settings);

    [Fact]
    public void A_chair_out_of_service_for_a_day_moves_its_session_to_another_chair_at_the_same_time()
    {
        var (calendar, plans) = Booked(Settings, IvInduction());
        var result = Replan(calendar, plans, new Disruption(DisruptionKind.ChairUnavailable, "pump-1", At(2, 0), At(3, 0)));

        var move = Assert.Single(result.Moved);
        Assert.Equal("s1-2", move.From.Id);
        Assert.Equal(move.From with { ChairId = "pump-2" }, move.To);
        Assert.Empty(result.NotRefitted);
        Assert.Equal(6, result.Calendar.Appointments.Count);
        Assert.Empty(Naive.CalendarProblems(result.Calendar, Settings, result.Calendar.Appointments));
    }

    [Fact]
    public void When_every_pump_chair_is_down_for_the_morning_the_session_moves_to_the_afternoon()
    {
        var (calendar, plans) = Booked(Settings, IvInduction());
        var morning = calendar with { Chairs = [.. calendar.Chairs.Where(c => c.Id != "pump-2")] };
        var result = Replan(morning, plans, new Disruption(DisruptionKind.ChairUnavailable, "pump-1", At(2, 7), At(2, 12)));

        var move = Assert.Single(result.Moved);
        Assert.Equal(Day(2), move.To.Day);
        Assert.Equal(T(12), move.To.Start);
        Assert.Equal("pump-1", move.To.ChairId);
    }

    [Fact]
    public void A_session_that_cannot_move_alone_takes_the_fewest_later_sessions_with_it()
    {
        // Session 2 sits between Monday and Friday sessions with spacing 2–4: only Wednesday keeps both gaps, and
        // Wednesday's only pump chair is down, so later sessions must shift too; the earlier ones stay.
        var (calendar, plans) = Booked(Settings, IvInduction());
        var onePump = calendar with { Chairs = [.. calendar.Chairs.Where(c => c.Id != "pump-2")] };
        var result = Replan(onePump, plans, new Disruption(DisruptionKind.ChairUnavailable, "pump-1", At(2, 0), At(3, 0)));

        Assert.Empty(result.NotRefitted);
        Assert.Equal(["s1-2"], result.Displaced.Select(a => a.Id));
        Assert.Contains(result.Moved, m => m.From.Id == "s1-2");
        Assert.DoesNotContain(result.Moved, m => m.From.Id == "s1-1");
        var days = result.Calendar.Appointments.OrderBy(a => a.SessionNumber).Select(a => a.Day).ToList();
        Assert.Equal(6, days.Count);
        Assert.True(Naive.RulesHold(plans[0].Rules, days));
        Assert.Empty(Naive.CalendarProblems(result.Calendar, Settings, result.Calendar.Appointments));
        Assert.Equal(Day(3), result.Moved.Single(m => m.From.Id == "s1-2").To.Day);
    }

    [Fact]
    public void A_session_that_cannot_move_even_with_its_series_is_reported_with_the_reason()
    {
        // Re-fitting only up to Wednesday: session 2 has no day left and the later sessions may not go later either.
        var (calendar, plans) = Booked(Settings, IvInduction());
        var onePump = calendar with { Chairs = [.. calendar.Chairs.Where(c => c.Id != "pump-2")] };
        var result = SeriesReplanner.Replan(
            onePump,
            new ReplanRequest(new Disruption(DisruptionKind.ChairUnavailable, "pump-1", At(2, 0), At(3, 0)), plans, Day(0), Day(6)),
            Settings);

        Assert.Empty(result.Moved);
        var unfitted = Assert.Single(result.NotRefitted);
        Assert.Equal("s1-2", unfitted.Appointment.Id);
        Assert.Equal(SeriesConstraint.Equipment, unfitted.FailedConstraint);
        Assert.Contains("they cannot hold session 2 of series 's1' next to its kept sessions", unfitted.Reason, StringComparison.Ordinal);
        Assert.Equal(5, result.Calendar.Appointments.Count);
        Assert.DoesNotContain(result.Calendar.Appointments, a => a.Id == "s1-2");
    }

    [Fact]
    public void Replay_two_series_wanting_the_one_slot_left_after_a_morning_chair_closure_both_stay_whole()
    {
        // Counterexample found by the re-planning property (seed 33121156; chair c1 closed 7 Mar 07:00–12:30, two
        // series of 3 sessions within 7 days): only 12:30 on 7 Mar was left and both series' sessions needed it. The
        // series re-fitted second lost its middle session and kept 3 and 9 March, 6 days apart against a maximum of 4.
        // A series is now re-fitted whole: its later sessions move with it when the kept ones leave no room.
        var clinic = new RandomClinic(33121156);
        var disrupted = SchedulingProperties.Disrupted.Build(clinic, DisruptionKind.ChairUnavailable, 0, 0, 30, 0) with
        {
            Disruption = new Disruption(DisruptionKind.ChairUnavailable, "c1", new DateTime(2025, 3, 7, 7, 0, 0), new DateTime(2025, 3, 7, 12, 30, 0)),
        };
        Assert.Equal(2, disrupted.Plans.Count);

        var result = disrupted.Replan();

        Assert.Equal(["s-3", "t-2"], result.Displaced.Select(a => a.Id).Order());
        Assert.Empty(result.NotRefitted);
        Assert.Empty(Naive.CalendarProblems(result.Calendar, disrupted.Settings, result.Calendar.Appointments.Where(a => a.SeriesId is not null)));
        foreach (var plan in disrupted.Plans)
        {
            var days = result.Calendar.Appointments.Where(a => a.SeriesId == plan.SeriesId).OrderBy(a => a.Day).Select(a => a.Day).ToList();
            Assert.Equal(3, days.Count);
            Assert.True(Naive.RulesHold(plan.Rules, days), $"series {plan.SeriesId}: {string.Join(", ", days)}");
        }
    }

    [Fact]
    public void A_nurse_going_home_early_moves_only_as_many_sessions_as_the_remaining_nurses_cannot_cover()
    {
        var oneChairEach = Settings with { ChairsPerNurse = new(1, "test") };
        var (calendar, plans) = Booked(oneChairEach, IvInduction("s1", "p1"), IvInduction("s2", "p2"));
        var result = Replan(calendar, plans, new Disruption(DisruptionKind.NurseUnavailable, "n2", At(2, 8), At(2, 10)), oneChairEach);

        var move = Assert.Single(result.Moved);
        Assert.Equal("s2-2", move.From.Id);
        Assert.Equal(Day(2), move.To.Day);
        Assert.Equal(T(9, 30), move.To.Start);
        Assert.Empty(result.NotRefitted);
        Assert.Empty(Naive.CalendarProblems(result.Calendar, oneChairEach, result.Calendar.Appointments));
        Assert.Contains(result.Calendar.NurseShifts, s => s.NurseId == "n2" && s.Day == Day(2) && s.Start == T(10));
    }

    [Fact]
    public void A_moved_session_goes_to_the_nearest_day_that_keeps_the_spacing()
    {
        var plan = IvInduction() with { Rules = IvInduction().Rules with { Sessions = 2 } };
        var (calendar, plans) = Booked(Settings, plan);
        Assert.Equal([Day(0), Day(2)], calendar.Appointments.Select(a => a.Day));
        var onePump = calendar with { Chairs = [.. calendar.Chairs.Where(c => c.Id != "pump-2")] };
        var result = Replan(onePump, plans, new Disruption(DisruptionKind.ChairUnavailable, "pump-1", At(2, 0), At(3, 0)));

        // Wednesday is out; Thursday (3 days after Monday) and Friday (4) keep the 2–4 day spacing; Thursday is nearer.
        var move = Assert.Single(result.Moved);
        Assert.Equal(move.From with { Day = Day(3) }, move.To);
    }

    [Fact]
    public void An_appointment_outside_any_series_given_is_reported_for_rebooking_by_hand()
    {
        var calendar = Calendar().With([new Appointment("single", "p9", "pump-1", Day(1), T(8), T(9))]);
        var result = Replan(calendar, [], new Disruption(DisruptionKind.ChairUnavailable, "pump-1", At(1, 0), At(2, 0)));
        var unfitted = Assert.Single(result.NotRefitted);
        Assert.Null(unfitted.FailedConstraint);
        Assert.Contains("Not part of a series", unfitted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disruption_of_an_unknown_chair_is_refused()
    {
        var ex = Assert.Throws<DomainValidationException>(() =>
            Replan(Calendar(), [], new Disruption(DisruptionKind.ChairUnavailable, "pump-9", At(1, 0), At(2, 0))));
        Assert.Equal("disruption.resourceId", Assert.Single(ex.Errors).Field);
    }
}
