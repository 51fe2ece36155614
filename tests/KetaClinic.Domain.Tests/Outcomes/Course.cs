using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Domain.Tests.Outcomes;

/// <summary>Builds course histories day by day, relative to the first session (day 0, 09:00 at UTC+1).</summary>
internal sealed class Course(string instrumentId)
{
    public static readonly DateTimeOffset FirstSession = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(1));

    private readonly List<AssessmentScore> _scores = [];
    private readonly List<DateTimeOffset> _sessions = [];
    private readonly List<CourseEvent> _events = [];

    public static DateTimeOffset Day(int day) => FirstSession.AddDays(day);

    public Course Score(int day, int total)
    {
        _scores.Add(new AssessmentScore(instrumentId, total, Day(day).AddHours(-1)));
        return this;
    }

    public Course ScoreAt(DateTimeOffset at, int total)
    {
        _scores.Add(new AssessmentScore(instrumentId, total, at));
        return this;
    }

    public Course OtherInstrument(string otherId, int day, int total)
    {
        _scores.Add(new AssessmentScore(otherId, total, Day(day).AddHours(-1)));
        return this;
    }

    public Course Sessions(params int[] days)
    {
        _sessions.AddRange(days.Select(Day));
        return this;
    }

    public Course Event(CourseEventKind kind, int day)
    {
        _events.Add(new CourseEvent(kind, Day(day)));
        return this;
    }

    public CourseOutcomeInput Input() => new(instrumentId, FirstSession, [.. _scores], [.. _sessions], [.. _events]);

    public OutcomeClassification Classify(OutcomeSettings? settings = null) =>
        OutcomeClassifier.Classify(Input(), settings ?? OutcomeSettings.Default);

    /// <summary>The timestamp <see cref="Score"/> gives an assessment on <paramref name="day"/>.</summary>
    public static DateTimeOffset ScoredOn(int day) => Day(day).AddHours(-1);
}
