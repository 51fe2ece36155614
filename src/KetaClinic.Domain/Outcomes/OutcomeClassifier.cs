using System.Globalization;

namespace KetaClinic.Domain.Outcomes;

/// <summary>
/// Classifies a treatment course on one instrument (REFERENCE.md §2).
/// <list type="bullet">
/// <item>Baseline: the last score strictly before the first session. Without one the status is
/// <see cref="OutcomeStatus.NeedsBaseline"/>; nothing is inferred.</item>
/// <item>Response: total down by at least the response percentage of baseline.</item>
/// <item>Remission: response <em>and</em> total at or below the remission threshold. Requiring response keeps a
/// patient who started near the threshold from being called remitted after a small change, and guarantees that
/// remission is never reported without response.</item>
/// <item>Relapse (after a response): two consecutive assessments at or above the relapse cut-off whose calendar dates
/// are within the relapse window, dated at the first of them; or a hospitalisation or suicide attempt, dated on the
/// event. The status stays relapse until an assessment meets response again.</item>
/// <item>Durability: calendar days from the last session before the first loss of response to that assessment.</item>
/// </list>
/// Input order never matters: everything is sorted by time first, and equal times by total (then kind), so ties
/// resolve the same way whatever the order given. Day counts use each timestamp's own local calendar date.
/// </summary>
public static class OutcomeClassifier
{
    public static OutcomeClassification Classify(CourseOutcomeInput input, OutcomeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(input.Assessments);
        ArgumentNullException.ThrowIfNull(input.Sessions);
        ArgumentNullException.ThrowIfNull(input.Events);

        var thresholds = settings.ThresholdsFor(input.InstrumentId);
        var scores = input.Assessments
            .Where(a => a.InstrumentId == input.InstrumentId)
            .OrderBy(a => a.TakenAt)
            .ThenBy(a => a.Total)
            .ToList();
        var negative = scores.Find(a => a.Total < 0);
        if (negative is not null)
        {
            throw new ArgumentException(
                $"Assessment on {input.InstrumentId} at {negative.TakenAt:O} has a negative total ({negative.Total}).", nameof(input));
        }

        var earlySession = input.Sessions.Where(s => s < input.FirstSessionAt).Order().Cast<DateTimeOffset?>().FirstOrDefault();
        if (earlySession is not null)
        {
            throw new ArgumentException(
                $"Session at {earlySession.Value:O} precedes the course's first session at {input.FirstSessionAt:O}.", nameof(input));
        }

        var baseline = scores.LastOrDefault(a => a.TakenAt < input.FirstSessionAt);
        var latest = scores.LastOrDefault();
        if (baseline is null)
        {
            return Unclassified(input, OutcomeStatus.NeedsBaseline, null, latest,
                $"No {input.InstrumentId} score before the first session at {input.FirstSessionAt.ToString("O", CultureInfo.InvariantCulture)}.");
        }

        if (baseline.Total == 0)
        {
            return Unclassified(input, OutcomeStatus.NeedsReview, baseline, latest,
                $"The {input.InstrumentId} baseline is 0, so a change from baseline cannot be expressed as a percentage.");
        }

        var rules = new Rules(baseline.Total, settings, thresholds);
        var onTreatment = scores.Where(a => a.TakenAt >= input.FirstSessionAt).ToList();
        var events = input.Events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Kind).ToList();

        var firstResponse = onTreatment.Find(rules.MeetsResponse);
        var firstRemission = onTreatment.Find(rules.MeetsRemission);
        var relapses = FindRelapses(onTreatment, events, firstResponse, rules);

        AssessmentScore? lossOfResponse = null;
        int? durability = null;
        if (firstResponse is not null)
        {
            lossOfResponse = onTreatment.Find(a => a.TakenAt > firstResponse.TakenAt && !rules.MeetsResponse(a));
            if (lossOfResponse is not null)
            {
                // The first session is always a session, even if the caller's list leaves it out.
                var lastSession = input.Sessions
                    .Append(input.FirstSessionAt)
                    .Where(s => s < lossOfResponse.TakenAt)
                    .Max();
                durability = CalendarDaysBetween(lastSession, lossOfResponse.TakenAt);
            }
        }

        var status = CurrentStatus(onTreatment, relapses, rules);
        var firstRelapse = relapses.Count > 0 ? relapses[0] : null;
        return new OutcomeClassification(
            input.InstrumentId,
            status,
            baseline,
            latest,
            ChangePercent(baseline.Total, latest!.Total),
            firstResponse?.TakenAt,
            firstRemission?.TakenAt,
            firstRelapse?.At,
            firstRelapse?.Trigger,
            lossOfResponse?.TakenAt,
            durability,
            null);
    }

    private static OutcomeClassification Unclassified(
        CourseOutcomeInput input, OutcomeStatus status, AssessmentScore? baseline, AssessmentScore? latest, string reason) =>
        new(input.InstrumentId, status, baseline, latest, null, null, null, null, null, null, null, reason);

    private static OutcomeStatus CurrentStatus(List<AssessmentScore> onTreatment, List<Relapse> relapses, Rules rules)
    {
        var latest = onTreatment.LastOrDefault();
        if (relapses.Count > 0)
        {
            var last = relapses[^1];
            var recovered = onTreatment.Exists(a => a.TakenAt > last.ConfirmedAt && rules.MeetsResponse(a));
            if (!recovered)
            {
                return OutcomeStatus.Relapse;
            }
        }

        if (latest is null)
        {
            return OutcomeStatus.NotResponding;
        }

        if (rules.MeetsRemission(latest))
        {
            return OutcomeStatus.Remission;
        }

        return rules.MeetsResponse(latest) ? OutcomeStatus.Response : OutcomeStatus.NotResponding;
    }

    // Relapse episodes in order: after a response, the first relapse; after a renewed response, the next one.
    private static List<Relapse> FindRelapses(
        List<AssessmentScore> onTreatment, List<CourseEvent> events, AssessmentScore? firstResponse, Rules rules)
    {
        var relapses = new List<Relapse>();
        var respondedAt = firstResponse?.TakenAt;
        while (respondedAt is { } since)
        {
            var relapse = FirstRelapseAfter(since, onTreatment, events, rules);
            if (relapse is null)
            {
                break;
            }

            relapses.Add(relapse);
            respondedAt = onTreatment.Find(a => a.TakenAt > relapse.ConfirmedAt && rules.MeetsResponse(a))?.TakenAt;
        }

        return relapses;
    }

    private static Relapse? FirstRelapseAfter(
        DateTimeOffset since, List<AssessmentScore> onTreatment, List<CourseEvent> events, Rules rules)
    {
        Relapse? byScores = null;
        var after = onTreatment.Where(a => a.TakenAt > since).ToList();
        for (var i = 0; i + 1 < after.Count; i++)
        {
            var (first, second) = (after[i], after[i + 1]);
            if (rules.AtOrAboveRelapseCutOff(first)
                && rules.AtOrAboveRelapseCutOff(second)
                && rules.WithinRelapseWindow(first.TakenAt, second.TakenAt))
            {
                byScores = new Relapse(first.TakenAt, second.TakenAt, RelapseTrigger.ConsecutiveAssessments);
                break;
            }
        }

        var firstEvent = events.Find(e => e.OccurredAt > since);
        var byEvent = firstEvent is null
            ? null
            : new Relapse(
                firstEvent.OccurredAt,
                firstEvent.OccurredAt,
                firstEvent.Kind == CourseEventKind.SuicideAttempt ? RelapseTrigger.SuicideAttempt : RelapseTrigger.Hospitalisation);

        if (byScores is null || byEvent is null)
        {
            return byScores ?? byEvent;
        }

        // The earlier date wins; on the same instant the event, which needs no second assessment to confirm it.
        return byEvent.At <= byScores.At ? byEvent : byScores;
    }

    private static decimal ChangePercent(int baseline, int latest) =>
        Math.Round((latest - baseline) * 100m / baseline, 1, MidpointRounding.AwayFromZero);

    internal static int CalendarDaysBetween(DateTimeOffset from, DateTimeOffset to) =>
        DateOnly.FromDateTime(to.Date).DayNumber - DateOnly.FromDateTime(from.Date).DayNumber;

    private sealed record Relapse(DateTimeOffset At, DateTimeOffset ConfirmedAt, RelapseTrigger Trigger);

    private sealed class Rules(int baseline, OutcomeSettings settings, InstrumentOutcomeThresholds thresholds)
    {
        // Exact arithmetic: (baseline − total) / baseline ≥ p / 100, multiplied out to avoid rounding at the edge.
        public bool MeetsResponse(AssessmentScore a) =>
            (baseline - a.Total) * 100m >= settings.ResponseReductionPercent.Value * baseline;

        public bool MeetsRemission(AssessmentScore a) =>
            MeetsResponse(a) && a.Total <= thresholds.RemissionAtOrBelow.Value;

        public bool AtOrAboveRelapseCutOff(AssessmentScore a) => a.Total >= thresholds.RelapseAtOrAbove.Value;

        public bool WithinRelapseWindow(DateTimeOffset first, DateTimeOffset second)
        {
            var days = CalendarDaysBetween(first, second);
            return days >= settings.RelapseWindowMinDays.Value && days <= settings.RelapseWindowMaxDays.Value;
        }
    }
}
