using KetaClinic.Domain.Common;
using KetaClinic.Domain.Scheduling;
using KetaClinic.Domain.Tests.Protocols;
using static KetaClinic.Domain.Tests.Scheduling.Clinic;

namespace KetaClinic.Domain.Tests.Scheduling;

public class SeriesBookerTests
{
    private static readonly SchedulingSettings Settings = SchedulingSettings.Default;

    private static SeriesProposal Propose(SeriesPlan plan, ClinicCalendar calendar, int days = 21, SchedulingSettings? settings = null) =>
        SeriesBooker.Propose(Request(plan, days), calendar, settings ?? Settings);

    [Fact]
    public void An_iv_plan_books_ninety_minutes_on_a_pump_chair()
    {
        var plan = IvInduction();
        Assert.Equal(90, plan.AppointmentMinutes);
        Assert.Equal(PumpAndMonitor, plan.RequiredEquipment);
        Assert.Equal(6, plan.Rules.Sessions);
    }

    [Fact]
    public void An_iv_induction_in_an_empty_clinic_is_monday_wednesday_friday_for_two_weeks()
    {
        var proposal = Propose(IvInduction(), Calendar());
        Assert.True(proposal.Found, proposal.Explanation);
        Assert.Equal([Day(0), Day(2), Day(4), Day(7), Day(9), Day(11)], proposal.Appointments.Select(a => a.Day));
        Assert.All(proposal.Appointments, a =>
        {
            Assert.Equal("pump-1", a.ChairId);
            Assert.Equal(T(8), a.Start);
            Assert.Equal(T(9, 30), a.End);
            Assert.Equal("p1", a.PatientId);
            Assert.Equal("s1", a.SeriesId);
        });
        Assert.Equal(["s1-1", "s1-2", "s1-3", "s1-4", "s1-5", "s1-6"], proposal.Appointments.Select(a => a.Id));
        Assert.Equal([1, 2, 3, 4, 5, 6], proposal.Appointments.Select(a => a.SessionNumber!.Value));
        Assert.Contains("earliest possible finish", proposal.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_holiday_is_skipped_and_the_series_still_finishes_as_early_as_possible()
    {
        var calendar = Calendar() with { Closures = [Day(2)] };
        var proposal = Propose(IvInduction(), calendar);
        Assert.True(proposal.Found);
        Assert.DoesNotContain(Day(2), proposal.Appointments.Select(a => a.Day));

        // Without that Wednesday six sessions cannot end by the second Friday: the third Monday is the earliest finish.
        Assert.Equal(Day(14), proposal.Appointments[^1].Day);
        Assert.True(Naive.RulesHold(IvInduction().Rules, [.. proposal.Appointments.Select(a => a.Day)]));
    }

    [Fact]
    public void A_booked_first_chair_sends_the_series_to_the_next_suitable_chair()
    {
        var busy = Enumerable.Range(0, 21).Select(i => new Appointment($"x{i}", "other", "pump-1", Day(i), T(8), T(18))).ToList();
        var proposal = Propose(IvInduction(), Calendar().With(busy));
        Assert.All(proposal.Appointments, a => Assert.Equal("pump-2", a.ChairId));
    }

    [Fact]
    public void The_patients_own_appointment_pushes_the_session_later_that_day()
    {
        var other = new Appointment("psych", "p1", "chair-3", Day(0), T(8), T(10));
        var proposal = Propose(IvInduction(), Calendar().With([other]));
        Assert.Equal(T(10), proposal.Appointments[0].Start);
        Assert.Equal(T(8), proposal.Appointments[1].Start);
    }

    [Fact]
    public void Too_few_nurses_push_the_session_to_when_a_chair_can_be_covered()
    {
        var settings = Settings with { ChairsPerNurse = new(1, "test") };
        var calendar = Calendar() with
        {
            NurseShifts = [.. Enumerable.Range(0, 21).Select(i => new NurseShift("n1", Day(i), T(8), T(18)))],
            Appointments = [.. Enumerable.Range(0, 21).Select(i => new Appointment($"x{i}", "other", "chair-3", Day(i), T(8), T(12)))],
        };
        var proposal = Propose(IvInduction(), calendar, settings: settings);
        Assert.True(proposal.Found);
        Assert.All(proposal.Appointments, a => Assert.Equal(T(12), a.Start));
    }

    [Fact]
    public void Without_a_pump_chair_the_equipment_is_named()
    {
        var calendar = Calendar() with { Chairs = [new Chair("chair-3", ["vital-signs-monitor"])] };
        var proposal = Propose(IvInduction(), calendar);
        Assert.False(proposal.Found);
        Assert.Empty(proposal.Appointments);
        Assert.Equal(SeriesConstraint.Equipment, proposal.FailedConstraint);
        Assert.Equal(
            "No day from Mon 2025-03-03 to Sun 2025-03-23 (21 days) has a working chair with an infusion pump and a vital signs monitor for a 90-minute appointment inside the clinic's and the patient's hours.",
            proposal.Explanation);
    }

    [Fact]
    public void When_the_pump_chairs_are_booked_through_the_patients_hours_the_free_chair_is_named()
    {
        var mornings = new PatientAvailability([.. Weekdays.Select(d => new WeeklyWindow(d, T(8), T(12)))], []);
        var busy = Enumerable.Range(0, 21)
            .SelectMany(i => PumpChairs.Select(c => new Appointment($"{c}-{i}", "other-" + c, c, Day(i), T(8), T(12))))
            .ToList();
        var proposal = Propose(IvInduction(availability: mornings), Calendar().With(busy));
        Assert.Equal(SeriesConstraint.ChairFree, proposal.FailedConstraint);
        Assert.Equal(
            "No day from Mon 2025-03-03 to Sun 2025-03-23 (21 days) has a free chair with an infusion pump and a vital signs monitor for a 90-minute appointment during the patient's hours.",
            proposal.Explanation);
    }

    [Fact]
    public void Without_nurses_on_shift_the_nurse_ratio_is_named()
    {
        var proposal = Propose(IvInduction(), Calendar() with { NurseShifts = [] });
        Assert.Equal(SeriesConstraint.NurseRatio, proposal.FailedConstraint);
        Assert.Contains("enough nurses on shift", proposal.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_patient_free_only_on_tuesdays_and_thursdays_cannot_keep_iv_spacing_and_the_days_are_listed()
    {
        var tuesdaysAndThursdays = new PatientAvailability(
            [new WeeklyWindow(DayOfWeek.Tuesday, T(8), T(18)), new WeeklyWindow(DayOfWeek.Thursday, T(8), T(18))], []);
        var proposal = Propose(IvInduction(availability: tuesdaysAndThursdays), Calendar());
        Assert.Equal(SeriesConstraint.PatientHours, proposal.FailedConstraint);
        Assert.StartsWith(
            "Only 6 days from Mon 2025-03-03 to Sun 2025-03-23 (21 days) have a 90-minute appointment inside both the clinic's and the patient's hours (Tue 2025-03-04, Thu 2025-03-06,",
            proposal.Explanation,
            StringComparison.Ordinal);
        Assert.EndsWith(
            "they cannot hold the 6 sessions (6 sessions spaced 2–4 days apart, at most 3 in any 7 days, within 21 days).",
            proposal.Explanation,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Specific_dates_the_patient_cannot_come_are_avoided()
    {
        var away = Weekdays9To5 with { UnavailableDates = [Day(0), Day(2)] };
        var proposal = Propose(IvInduction(availability: away), Calendar());
        Assert.True(proposal.Found);
        Assert.DoesNotContain(proposal.Appointments, a => a.Day == Day(0) || a.Day == Day(2));
    }

    [Fact]
    public void A_search_period_shorter_than_the_series_is_explained_by_the_spacing()
    {
        var proposal = Propose(IvInduction(), Calendar(), days: 8);
        Assert.Equal(SeriesConstraint.SeriesRules, proposal.FailedConstraint);
        Assert.Equal(
            "The search period from Mon 2025-03-03 to Mon 2025-03-10 (8 days) is too short: 6 sessions spaced at least 2 days apart, at most 3 in any 7 days, need at least 12 days.",
            proposal.Explanation);
    }

    [Fact]
    public void An_esketamine_induction_is_twice_weekly_in_four_weeks_with_the_two_hour_watch_booked()
    {
        var plan = SeriesPlan.ForProtocol("e1", "p2", ProtocolFixtures.Esketamine, "induction", Weekdays9To5);
        var proposal = Propose(plan, Calendar(), days: 28);
        Assert.True(proposal.Found, proposal.Explanation);
        Assert.Equal(8, proposal.Appointments.Count);
        Assert.All(proposal.Appointments, a => Assert.Equal(150, Naive.Minute(a.End) - Naive.Minute(a.Start)));
        Assert.True(Naive.RulesHold(plan.Rules, [.. proposal.Appointments.Select(a => a.Day)]));
        Assert.True(proposal.Appointments[^1].Day.DayNumber - proposal.Appointments[0].Day.DayNumber < 28);
    }

    [Fact]
    public void Two_patients_booked_one_after_the_other_share_the_clinic_without_double_booking()
    {
        var calendar = Calendar();
        var first = Propose(IvInduction("s1", "p1"), calendar);
        calendar = calendar.With(first.Appointments);
        var second = Propose(IvInduction("s2", "p2"), calendar);
        calendar = calendar.With(second.Appointments);
        Assert.Equal(first.Appointments.Select(a => a.Day), second.Appointments.Select(a => a.Day));
        Assert.All(second.Appointments, a => Assert.Equal("pump-2", a.ChairId));
        Assert.Empty(Naive.CalendarProblems(calendar, Settings, calendar.Appointments));
    }

    [Fact]
    public void Malformed_input_is_refused_naming_the_field()
    {
        var calendar = Calendar() with { ChairClosures = [new ChairClosure("pump-9", Day(0), T(8), T(9))] };
        var ex = Assert.Throws<DomainValidationException>(() => Propose(IvInduction(), calendar));
        Assert.Contains(ex.Errors, e => e.Field == "calendar.chairClosures[0].chairId");

        var backwards = Assert.Throws<DomainValidationException>(() =>
            SeriesBooker.Propose(Request(IvInduction()) with { LatestDay = Monday.AddDays(-1) }, Calendar(), Settings));
        Assert.Equal("latestDay", Assert.Single(backwards.Errors).Field);
    }
}
