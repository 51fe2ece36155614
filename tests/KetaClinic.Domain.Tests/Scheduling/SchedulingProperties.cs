using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Domain.Tests.Scheduling;

public class SchedulingProperties
{
    private static readonly Arbitrary<RandomClinic> Clinics =
        Gen.Choose(0, int.MaxValue).Select(seed => new RandomClinic(seed)).ToArbitrary();

    private static readonly Arbitrary<Disrupted> DisruptedClinics =
        (from seed in Gen.Choose(0, int.MaxValue)
         from kind in Gen.Elements(DisruptionKind.ChairUnavailable, DisruptionKind.NurseUnavailable)
         from day in Gen.Choose(0, 11)
         from startHalfHours in Gen.Choose(14, 30)
         from lengthHalfHours in Gen.Choose(1, 40)
         from pick in Gen.Choose(0, 100)
         select Disrupted.Build(new RandomClinic(seed), kind, day, startHalfHours * 30, lengthHalfHours * 30, pick))
        .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Every_proposed_series_keeps_spacing_window_hours_chairs_nurses_and_availability() =>
        Prop.ForAll(Clinics, clinic =>
        {
            var proposal = SeriesBooker.Propose(clinic.Request, clinic.Calendar, clinic.Settings);
            if (!proposal.Found)
            {
                return proposal.Appointments.Count == 0 && proposal.Explanation.Length > 0;
            }

            var plan = clinic.Plan;
            var days = proposal.Appointments.Select(a => a.Day).ToList();
            var booked = clinic.Calendar with { Appointments = [.. clinic.Calendar.Appointments, .. proposal.Appointments] };
            return proposal.Appointments.Count == plan.Rules.Sessions
                && Naive.RulesHold(plan.Rules, days)
                && days.SequenceEqual(days.Order())
                && days.All(d => d >= clinic.Request.EarliestDay && d <= clinic.Request.LatestDay)
                && proposal.Appointments.All(a =>
                    a.PatientId == plan.PatientId
                    && Naive.Minute(a.End) - Naive.Minute(a.Start) == plan.AppointmentMinutes
                    && Naive.SlotOk(clinic.Calendar, clinic.Settings, plan, a.Day, Naive.Minute(a.Start), clinic.Calendar.Chairs.Single(c => c.Id == a.ChairId)))
                && !Naive.CalendarProblems(booked, clinic.Settings, proposal.Appointments).Any();
        });

    [Property(MaxTest = 300)]
    public Property The_solver_finds_a_series_whenever_enumeration_does_with_the_earliest_finish_then_start() =>
        Prop.ForAll(Clinics, clinic =>
        {
            var proposal = SeriesBooker.Propose(clinic.Request, clinic.Calendar, clinic.Settings);
            var best = Naive.BestByEnumeration(clinic.Calendar, clinic.Settings, clinic.Request);
            return best is null
                ? !proposal.Found
                : proposal.Found && proposal.Appointments[0].Day == best.Value.First && proposal.Appointments[^1].Day == best.Value.Last;
        });

    [Property(MaxTest = 1000)]
    public Property Replanning_moves_only_displaced_appointments_and_sessions_of_their_series() =>
        Prop.ForAll(DisruptedClinics, d =>
        {
            var result = d.Replan();
            var displaced = result.Displaced.Select(a => a.Id).ToHashSet();
            var hitSeries = result.Displaced.Select(a => a.SeriesId).OfType<string>().ToHashSet();
            var touched = result.Moved.Select(m => m.From.Id).Concat(result.NotRefitted.Select(u => u.Appointment.Id)).ToHashSet();
            var unaffected = d.Calendar.Appointments.Where(a => !touched.Contains(a.Id)).ToList();
            var kept = result.Calendar.Appointments.ToHashSet();
            return unaffected.All(kept.Contains)
                && result.Calendar.Appointments.Count == d.Calendar.Appointments.Count - result.NotRefitted.Count
                && result.Displaced.All(d.Overlaps)
                && displaced.All(touched.Contains)
                && result.NotRefitted.All(u => displaced.Contains(u.Appointment.Id))
                && result.Moved.Where(m => !displaced.Contains(m.From.Id)).All(m =>
                    m.From.SeriesId is not null && hitSeries.Contains(m.From.SeriesId) && m.From.Day >= d.Clinic.Start)
                && touched.Count == result.Moved.Count + result.NotRefitted.Count;
        });

    [Property(MaxTest = 1000)]
    public Property Replanning_never_double_books_and_keeps_each_refitted_series_within_its_rules() =>
        Prop.ForAll(DisruptedClinics, d =>
        {
            var result = d.Replan();
            var moved = result.Moved.Select(m => m.To).ToList();
            var broken = result.NotRefitted.Select(u => u.Appointment.SeriesId).ToHashSet();
            var seriesOk = d.Plans.Where(plan => !broken.Contains(plan.SeriesId)).All(plan => Naive.RulesHold(
                plan.Rules with { Sessions = int.MaxValue },
                [.. result.Calendar.Appointments.Where(a => a.SeriesId == plan.SeriesId).Select(a => a.Day).Order()]));
            return !Naive.CalendarProblems(result.Calendar, d.Settings, moved).Any()
                && moved.All(a => a.Day >= d.Clinic.Start && a.Day <= d.RefitUntil)
                && result.Moved.All(m => m.To.Id == m.From.Id && m.To.PatientId == m.From.PatientId && m.To != m.From)
                && result.NotRefitted.All(u => u.Reason.Length > 0)
                && seriesOk;
        });

    [Property(MaxTest = 500)]
    public Property Replanning_one_series_moves_the_fewest_sessions_enumeration_finds_and_gives_up_only_when_none_fit() =>
        Prop.ForAll(DisruptedClinics, d =>
        {
            var result = d.Replan();
            var hit = result.Displaced.Select(a => a.SeriesId).OfType<string>().Distinct().ToList();
            if (hit.Count != 1)
            {
                return true;
            }

            var seriesId = hit[0];
            var plan = d.Plans.Single(p => p.SeriesId == seriesId);
            var others = result.Calendar with { Appointments = [.. result.Calendar.Appointments.Where(a => a.SeriesId != seriesId)] };
            var sessions = d.Calendar.Appointments.Where(a => a.SeriesId == seriesId).ToList();
            var fewest = Naive.FewestMoves(
                others, d.Settings, plan, sessions, result.Displaced.Select(a => a.Id).ToHashSet(), d.Clinic.Start, d.RefitUntil);
            var displaced = result.Displaced.Count(a => a.SeriesId == seriesId);
            var unfitted = result.NotRefitted.Count(u => u.Appointment.SeriesId == seriesId);
            return fewest is null
                ? result.Moved.Count == 0 && unfitted == displaced
                : unfitted == 0 && result.Moved.Count == fewest;
        });

    // One crowded day: many overlapping appointments, few nurses, one of them leaving for a while.
    private static readonly Arbitrary<Disrupted> CrowdedDays =
        (from seed in Gen.Choose(0, int.MaxValue)
         from count in Gen.Choose(2, 9)
         from chairs in Gen.Choose(count, count + 2)
         from starts in Gen.Choose(16, 30).ArrayOf(count)
         from lengths in Gen.Choose(1, 12).ArrayOf(count)
         from nurseCount in Gen.Choose(1, 3)
         from shiftStarts in Gen.Choose(14, 24).ArrayOf(nurseCount)
         from shiftLengths in Gen.Choose(6, 20).ArrayOf(nurseCount)
         from ratio in Gen.Choose(1, 3)
         from leaving in Gen.Choose(0, nurseCount - 1)
         from awayStart in Gen.Choose(16, 34)
         from awayLength in Gen.Choose(1, 16)
         select Disrupted.Crowded(seed, count, chairs, starts, lengths, shiftStarts, shiftLengths, ratio, leaving, awayStart, awayLength))
        .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property On_a_crowded_day_a_nurse_leaving_takes_out_the_fewest_appointments_that_restore_the_ratio() =>
        Prop.ForAll(CrowdedDays, d =>
        {
            var result = d.Replan();
            return result.Displaced.Count == d.FewestToTakeOut(result.Calendar.NurseShifts);
        });

    [Property(MaxTest = 300)]
    public Property A_nurse_leaving_takes_out_the_fewest_appointments_that_restore_the_ratio() =>
        Prop.ForAll(DisruptedClinics, d =>
        {
            if (d.Disruption.Kind != DisruptionKind.NurseUnavailable)
            {
                return true;
            }

            var result = d.Replan();
            return result.Displaced.Count == d.FewestToTakeOut(result.Calendar.NurseShifts);
        });

    /// <summary>A random clinic with one or two booked series and a disruption on one of their days.</summary>
    public sealed record Disrupted(RandomClinic Clinic, ClinicCalendar Calendar, IReadOnlyList<SeriesPlan> Plans, Disruption Disruption, DateOnly RefitUntil)
    {
        public static Disrupted Build(RandomClinic clinic, DisruptionKind kind, int day, int startMinute, int minutes, int pick)
        {
            var calendar = clinic.Calendar;
            var plans = new List<SeriesPlan>();
            foreach (var plan in new[] { clinic.Plan, clinic.Plan with { SeriesId = "t", PatientId = "you" } })
            {
                var proposal = SeriesBooker.Propose(clinic.Request with { Plan = plan }, calendar, clinic.Settings);
                if (proposal.Found)
                {
                    calendar = calendar with { Appointments = [.. calendar.Appointments, .. proposal.Appointments] };
                    plans.Add(plan);
                }
            }

            // Aim at a booked session's day most of the time, so the disruption usually hits something.
            var seriesDays = calendar.Appointments.Where(a => a.SeriesId is not null).Select(a => a.Day).Distinct().ToList();
            var date = seriesDays.Count > 0 && pick % 4 != 0 ? seriesDays[pick % seriesDays.Count] : clinic.Day(Math.Min(day, clinic.Days - 1));
            var nurses = calendar.NurseShifts.Where(s => s.Day == date).Select(s => s.NurseId).Distinct().Order(StringComparer.Ordinal).ToList();
            var resource = kind == DisruptionKind.ChairUnavailable || nurses.Count == 0
                ? calendar.Chairs[pick % calendar.Chairs.Count].Id
                : nurses[pick % nurses.Count];
            var actualKind = kind == DisruptionKind.NurseUnavailable && nurses.Count == 0 ? DisruptionKind.ChairUnavailable : kind;
            var from = date.ToDateTime(TimeOnly.MinValue).AddMinutes(startMinute);
            return new Disrupted(clinic, calendar, plans, new Disruption(actualKind, resource, from, from.AddMinutes(minutes)), clinic.Day(clinic.Days + 6));
        }

        public static Disrupted Crowded(
            int seed, int count, int chairs, int[] starts, int[] lengths, int[] shiftStarts, int[] shiftLengths, int ratio, int leaving, int awayStart, int awayLength)
        {
            var clinic = new RandomClinic(seed);
            var day = clinic.Start;
            TimeOnly Half(int halfHours) => new(Math.Min(halfHours, 47) / 2, Math.Min(halfHours, 47) % 2 * 30);
            var calendar = clinic.Calendar with
            {
                Chairs = [.. Enumerable.Range(1, chairs).Select(i => new Chair($"c{i}", []))],
                ChairClosures = [],
                NurseShifts = [.. Enumerable.Range(0, shiftStarts.Length).Select(n =>
                    new NurseShift($"n{n + 1}", day, Half(shiftStarts[n]), Half(shiftStarts[n] + shiftLengths[n])))],

                // One appointment per chair, so only the nurses limit them.
                Appointments = [.. Enumerable.Range(0, count).Select(i =>
                    new Appointment($"a{i}", $"p{i}", $"c{i + 1}", day, Half(starts[i]), Half(starts[i] + lengths[i])))],
            };
            var settings = clinic.Settings with { ChairsPerNurse = new(ratio, "test") };
            var from = day.ToDateTime(Half(awayStart));
            var disruption = new Disruption(DisruptionKind.NurseUnavailable, $"n{leaving + 1}", from, from.AddMinutes(awayLength * 30));
            return new Disrupted(clinic, calendar, [], disruption, day.AddDays(7)) { SettingsOverride = settings };
        }

        public SchedulingSettings? SettingsOverride { get; init; }

        public ReplanResult Replan() =>
            SeriesReplanner.Replan(Calendar, new ReplanRequest(Disruption, Plans, Clinic.Start, RefitUntil), Settings);

        public SchedulingSettings Settings => SettingsOverride ?? Clinic.Settings;

        public bool Overlaps(Appointment a)
        {
            var start = a.Day.ToDateTime(a.Start);
            var end = a.Day.ToDateTime(a.End);
            var hitsResource = Disruption.Kind == DisruptionKind.NurseUnavailable || a.ChairId == Disruption.ResourceId;
            return hitsResource && start < Disruption.To && Disruption.From < end;
        }

        /// <summary>The smallest number of appointments whose removal keeps occupied chairs within nurse cover, by enumeration.</summary>
        public int FewestToTakeOut(IReadOnlyList<NurseShift> shiftsAfter)
        {
            var after = Calendar with { NurseShifts = shiftsAfter };
            var candidates = Calendar.Appointments.Where(Overlaps).ToList();
            var minutes = new List<(DateOnly Day, int Minute)>();
            for (var t = Disruption.From; t < Disruption.To; t = t.AddMinutes(1))
            {
                minutes.Add((DateOnly.FromDateTime(t), (t.Hour * 60) + t.Minute));
            }

            var capacity = minutes.ToDictionary(m => m, m => Naive.NursesAt(after, m.Day, m.Minute) * Settings.ChairsPerNurse.Value);
            for (var size = 0; size <= candidates.Count; size++)
            {
                foreach (var removed in Subsets(candidates, size))
                {
                    var remaining = Calendar.Appointments.Except(removed).ToList();
                    if (minutes.All(m => Naive.OccupiedAt(remaining, m.Day, m.Minute) <= capacity[m]))
                    {
                        return size;
                    }
                }
            }

            throw new InvalidOperationException("Removing every candidate must restore the ratio.");
        }

        public override string ToString() => $"{Clinic}; {Disruption}; {Calendar.Appointments.Count} appointments";

        private static IEnumerable<List<Appointment>> Subsets(List<Appointment> items, int size, int from = 0)
        {
            if (size == 0)
            {
                yield return [];
                yield break;
            }

            for (var i = from; i <= items.Count - size; i++)
            {
                foreach (var rest in Subsets(items, size - 1, i + 1))
                {
                    rest.Insert(0, items[i]);
                    yield return rest;
                }
            }
        }
    }
}
