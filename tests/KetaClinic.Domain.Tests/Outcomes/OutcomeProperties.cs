using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Domain.Tests.Outcomes;

public class OutcomeProperties
{
    private static readonly CourseEventKind[] EventKinds = Enum.GetValues<CourseEventKind>();

    // Courses with scores before and during treatment, sometimes on the same instant (to exercise ties),
    // sometimes without a baseline, with a few sessions and occasional hospitalisations or attempts.
    private static readonly Gen<CourseOutcomeInput> Courses =
        from instrument in Gen.Elements("phq9", "qids-sr16", "madrs")
        let max = instrument == "madrs" ? 60 : 27
        from count in Gen.Choose(0, 16)
        from days in Gen.Choose(-20, 120).ArrayOf(count)
        from hours in Gen.Elements(0, 8, 8, 16).ArrayOf(count)
        from totals in Gen.Choose(0, max).ArrayOf(count)
        from sessionDays in Gen.Choose(0, 60).ArrayOf(6)
        from eventCount in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 2)))
        from eventDays in Gen.Choose(-10, 120).ArrayOf(eventCount)
        from kinds in Gen.Elements(EventKinds).ArrayOf(eventCount)
        select new CourseOutcomeInput(
            instrument,
            Course.FirstSession,
            [
                .. Enumerable.Range(0, count).Select(i =>
                    new AssessmentScore(instrument, totals[i], Course.Day(days[i]).AddHours(hours[i]))),
                new AssessmentScore("gad7", 21, Course.Day(5)),
            ],
            [.. sessionDays.Select(Course.Day)],
            [.. Enumerable.Range(0, eventCount).Select(i => new CourseEvent(kinds[i], Course.Day(eventDays[i])))]);

    private static Gen<(CourseOutcomeInput Original, CourseOutcomeInput Shuffled)> ShuffledCourses =>
        from course in Courses
        from scores in Gen.Shuffle(course.Assessments.ToArray())
        from sessions in Gen.Shuffle(course.Sessions.ToArray())
        from events in Gen.Shuffle(course.Events.ToArray())
        select (course, course with { Assessments = scores, Sessions = sessions, Events = events });

    private static OutcomeClassification Classify(CourseOutcomeInput input) =>
        OutcomeClassifier.Classify(input, OutcomeSettings.Default);

    private static bool MeetsResponse(int baseline, int total) => (baseline - total) * 100 >= 50 * baseline;

    [Property(MaxTest = 1000)]
    public Property Shuffling_the_input_order_does_not_change_the_outcome() =>
        Prop.ForAll(ShuffledCourses.ToArbitrary(), pair => Classify(pair.Original) == Classify(pair.Shuffled));

    [Property(MaxTest = 1000)]
    public Property Remission_is_never_reported_without_response() =>
        Prop.ForAll(Courses.ToArbitrary(), course =>
        {
            var outcome = Classify(course);
            var remissionMax = OutcomeSettings.Default.ThresholdsFor(course.InstrumentId).RemissionAtOrBelow.Value;
            var statusOk = outcome.Status != OutcomeStatus.Remission
                || (MeetsResponse(outcome.Baseline!.Total, outcome.Latest!.Total) && outcome.Latest.Total <= remissionMax);
            var datesOk = outcome.FirstRemissionAt is null
                || (outcome.FirstResponseAt is { } response && response <= outcome.FirstRemissionAt);
            return statusOk && datesOk;
        });

    [Property(MaxTest = 500)]
    public Property Without_a_score_before_the_first_session_nothing_is_classified() =>
        Prop.ForAll(Courses.ToArbitrary(), course =>
        {
            var outcome = Classify(course);
            var hasBaseline = course.Assessments.Any(a => a.InstrumentId == course.InstrumentId && a.TakenAt < course.FirstSessionAt);
            return hasBaseline
                ? outcome.Status != OutcomeStatus.NeedsBaseline
                : outcome.Status == OutcomeStatus.NeedsBaseline && outcome.ChangePercent is null && outcome.FirstResponseAt is null;
        });

    [Property(MaxTest = 500)]
    public Property Relapse_and_loss_of_response_only_follow_a_response() =>
        Prop.ForAll(Courses.ToArbitrary(), course =>
        {
            var outcome = Classify(course);
            var relapseOk = outcome.RelapseAt is null
                || (outcome.FirstResponseAt is { } response && outcome.RelapseAt > response);
            var lossOk = outcome.LossOfResponseAt is null
                || (outcome.FirstResponseAt < outcome.LossOfResponseAt && outcome.DurabilityDays >= 0);
            var relapseStatusOk = outcome.Status != OutcomeStatus.Relapse || outcome.RelapseAt is not null;
            return relapseOk && lossOk && relapseStatusOk;
        });
}
