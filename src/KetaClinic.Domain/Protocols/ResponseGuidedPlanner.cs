using System.Globalization;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Domain.Protocols;

/// <summary>Settings of response-guided maintenance. Every value carries its source.</summary>
public sealed record MaintenanceSettings
{
    /// <summary>Sessions at one interval with response holding before the next longer interval is proposed.</summary>
    public SourcedSetting<int> WidenAfterStableSessions { get; init; } = new(
        2,
        "clinic policy [open]: maintenance tapers toward monthly by response (REFERENCE.md §5)");

    /// <summary>
    /// A rise of the latest score above the best recent score by at least this share of the baseline total counts as
    /// worsening toward relapse, and the interval is shortened.
    /// </summary>
    public SourcedSetting<decimal> WorseningPercentOfBaseline { get; init; } = new(
        20m,
        "clinic policy [open]: relapse shape of REFERENCE.md §2; one fifth of the baseline score");

    public static MaintenanceSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        if (WidenAfterStableSessions.Value is < 1 or > 52)
        {
            errors.Add(new(null, null, nameof(WidenAfterStableSessions), "must be between 1 and 52 sessions."));
        }

        if (WorseningPercentOfBaseline.Value is <= 0m or > 100m)
        {
            errors.Add(new(null, null, nameof(WorseningPercentOfBaseline), "must be above 0 % and at most 100 %."));
        }

        if (string.IsNullOrWhiteSpace(WidenAfterStableSessions.Source))
        {
            errors.Add(new(null, null, nameof(WidenAfterStableSessions), "needs a source."));
        }

        if (string.IsNullOrWhiteSpace(WorseningPercentOfBaseline.Source))
        {
            errors.Add(new(null, null, nameof(WorseningPercentOfBaseline), "needs a source."));
        }

        return errors;
    }
}

/// <summary>Where a patient stands in the plan, and how they are doing.</summary>
/// <param name="PhaseId">The current phase of the protocol ("induction", "maintenance"...).</param>
/// <param name="SessionsCompletedInPhase">Sessions given in the current phase.</param>
/// <param name="SessionsCompletedInCourse">Sessions given in the whole course.</param>
/// <param name="CurrentIntervalDays">In maintenance: the interval now used; null before maintenance.</param>
/// <param name="SessionsAtCurrentInterval">In maintenance: sessions given at the current interval.</param>
/// <param name="Status">Outcome status on the course's instrument (see <see cref="OutcomeClassifier"/>).</param>
/// <param name="BaselineScore">Baseline total on that instrument, when known.</param>
/// <param name="RecentScores">Recent totals on that instrument, oldest first; the last is the latest.</param>
public sealed record TreatmentProgress(
    string PhaseId,
    int SessionsCompletedInPhase,
    int SessionsCompletedInCourse,
    int? CurrentIntervalDays,
    int SessionsAtCurrentInterval,
    OutcomeStatus Status,
    int? BaselineScore,
    IReadOnlyList<int> RecentScores);

public enum ProposalKind
{
    /// <summary>Carry on with the current series.</summary>
    ContinuePhase,

    /// <summary>The series is complete: move to the next series phase.</summary>
    AdvancePhase,

    /// <summary>The last series is complete: start maintenance at its shortest interval.</summary>
    StartMaintenance,

    WidenInterval,
    KeepInterval,
    NarrowInterval,

    /// <summary>No automatic next step: the physician decides.</summary>
    HoldForReview,
}

/// <summary>Why a proposal says what it says; the code is stable for the app, the message is for people.</summary>
public sealed record ProposalReason(string Code, string Message);

/// <summary>A proposal the physician accepts or edits; nothing changes until they do.</summary>
public sealed record PhaseProposal(
    ProposalKind Kind, string PhaseId, int? IntervalDays, bool NeedsPhysicianReview, IReadOnlyList<ProposalReason> Reasons);

/// <summary>
/// Proposes the next phase and maintenance interval from response (REFERENCE.md §5: maintenance tapering toward
/// monthly by response). Responders who finish a series move on; in maintenance the interval widens one step after
/// enough stable sessions and narrows one step when scores worsen toward relapse; non-response after the protocol's
/// review count, relapse, and a missing or unusable baseline are flagged for the physician.
/// </summary>
public static class ResponseGuidedPlanner
{
    public static PhaseProposal Propose(TreatmentProtocol protocol, TreatmentProgress progress, MaintenanceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress.RecentScores);
        var settingErrors = settings.Validate();
        if (settingErrors.Count > 0)
        {
            throw new ArgumentException("Maintenance settings are invalid: " + string.Join("; ", settingErrors), nameof(settings));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(progress.SessionsCompletedInPhase, nameof(progress));
        ArgumentOutOfRangeException.ThrowIfNegative(progress.SessionsAtCurrentInterval, nameof(progress));
        if (progress.SessionsCompletedInCourse < progress.SessionsCompletedInPhase)
        {
            throw new ArgumentException("Sessions in the course cannot be fewer than sessions in the phase.", nameof(progress));
        }

        var phase = protocol.Phase(progress.PhaseId);
        return phase is SeriesPhase series
            ? InSeries(protocol, series, progress)
            : InMaintenance(protocol, (MaintenancePhase)phase, progress, settings);
    }

    private static PhaseProposal InSeries(TreatmentProtocol protocol, SeriesPhase phase, TreatmentProgress progress)
    {
        var reasons = new List<ProposalReason>();
        var review = UnclassifiedReason(progress, reasons);
        var planned = phase.Sessions.Value;
        var done = progress.SessionsCompletedInPhase;
        var reviewAfter = protocol.NonResponseReviewAfterSessions;
        if (done < planned)
        {
            reasons.Add(new("series-continues", Invariant($"{done} of {planned} sessions of {phase.Name} given.")));
            if (progress.Status == OutcomeStatus.NotResponding && progress.SessionsCompletedInCourse >= reviewAfter.Value)
            {
                reasons.Add(new("non-response", Invariant(
                    $"No response after {progress.SessionsCompletedInCourse} sessions; the protocol asks for review after {reviewAfter.Value} ({reviewAfter.Source}).")));
                review = true;
            }
            else if (progress.Status == OutcomeStatus.Relapse)
            {
                reasons.Add(new("relapse", "Scores meet relapse during the series."));
                review = true;
            }

            return new PhaseProposal(ProposalKind.ContinuePhase, phase.Id, null, review, reasons);
        }

        reasons.Add(new("series-complete", Invariant($"All {planned} sessions of {phase.Name} given.")));
        if (review)
        {
            return new PhaseProposal(ProposalKind.HoldForReview, phase.Id, null, true, reasons);
        }

        switch (progress.Status)
        {
            case OutcomeStatus.Response or OutcomeStatus.Remission:
                var next = protocol.NextPhase(phase.Id)!;
                reasons.Add(new(progress.Status.ToCode(), $"{Capital(progress.Status.ToCode())} at the end of {phase.Name}."));
                if (next is MaintenancePhase maintenance)
                {
                    var first = maintenance.IntervalsDays.Value[0];
                    reasons.Add(new("start-maintenance", Invariant(
                        $"Maintenance starts at the shortest interval, every {first} days ({maintenance.IntervalsDays.Source}).")));
                    return new PhaseProposal(ProposalKind.StartMaintenance, next.Id, first, false, reasons);
                }

                reasons.Add(new("next-phase", $"Next phase: {next.Name}."));
                return new PhaseProposal(ProposalKind.AdvancePhase, next.Id, null, false, reasons);
            case OutcomeStatus.NotResponding:
                reasons.Add(new("non-response", Invariant(
                    $"No response after {progress.SessionsCompletedInCourse} sessions: the physician decides whether to continue, change the dose or stop.")));
                return new PhaseProposal(ProposalKind.HoldForReview, phase.Id, null, true, reasons);
            default:
                reasons.Add(new("relapse", "Scores meet relapse at the end of the series."));
                return new PhaseProposal(ProposalKind.HoldForReview, phase.Id, null, true, reasons);
        }
    }

    private static PhaseProposal InMaintenance(
        TreatmentProtocol protocol, MaintenancePhase phase, TreatmentProgress progress, MaintenanceSettings settings)
    {
        var ladder = phase.IntervalsDays.Value;
        var rung = CurrentRung(ladder, progress.CurrentIntervalDays);
        var current = ladder[rung];
        var reasons = new List<ProposalReason>();
        if (progress.CurrentIntervalDays is { } given && given != current)
        {
            reasons.Add(new("interval-not-on-ladder", Invariant(
                $"The current interval of {given} days is not one of the protocol's ({string.Join(", ", ladder)} days); read as {current} days.")));
        }

        if (UnclassifiedReason(progress, reasons))
        {
            return new PhaseProposal(ProposalKind.HoldForReview, phase.Id, current, true, reasons);
        }

        var shortest = ladder[0];
        switch (progress.Status)
        {
            case OutcomeStatus.Relapse:
                reasons.Add(new("relapse", Invariant(
                    $"Scores meet relapse: back to every {shortest} days and physician review (consider a new induction).")));
                return new PhaseProposal(ProposalKind.NarrowInterval, phase.Id, shortest, true, reasons);
            case OutcomeStatus.NotResponding:
                reasons.Add(new("response-lost", Invariant(
                    $"Response no longer holds: back to every {shortest} days and physician review.")));
                return new PhaseProposal(ProposalKind.NarrowInterval, phase.Id, shortest, true, reasons);
        }

        if (Worsening(progress, settings) is { } rise)
        {
            reasons.Add(rise);
            if (rung == 0)
            {
                reasons.Add(new("at-shortest-interval", Invariant($"Already at the shortest interval ({current} days): physician review.")));
                return new PhaseProposal(ProposalKind.KeepInterval, phase.Id, current, true, reasons);
            }

            reasons.Add(new("narrow", Invariant($"Interval shortened from {current} to {ladder[rung - 1]} days.")));
            return new PhaseProposal(ProposalKind.NarrowInterval, phase.Id, ladder[rung - 1], false, reasons);
        }

        var needed = settings.WidenAfterStableSessions;
        var stable = progress.SessionsAtCurrentInterval;
        reasons.Add(new(progress.Status.ToCode(), $"{Capital(progress.Status.ToCode())} holds."));
        if (stable < needed.Value)
        {
            reasons.Add(new("keep", Invariant(
                $"{stable} of {needed.Value} stable sessions at every {current} days before widening ({needed.Source}).")));
            return new PhaseProposal(ProposalKind.KeepInterval, phase.Id, current, false, reasons);
        }

        if (rung == ladder.Count - 1)
        {
            reasons.Add(new("at-widest-interval", Invariant($"Already at the longest interval of the protocol ({current} days).")));
            return new PhaseProposal(ProposalKind.KeepInterval, phase.Id, current, false, reasons);
        }

        reasons.Add(new("widen", Invariant(
            $"{stable} stable sessions at every {current} days: widen to every {ladder[rung + 1]} days ({phase.IntervalsDays.Source}).")));
        return new PhaseProposal(ProposalKind.WidenInterval, phase.Id, ladder[rung + 1], false, reasons);
    }

    // needs-baseline and needs-review: response cannot be judged, so nothing moves on without the physician.
    private static bool UnclassifiedReason(TreatmentProgress progress, List<ProposalReason> reasons)
    {
        switch (progress.Status)
        {
            case OutcomeStatus.NeedsBaseline:
                reasons.Add(new("needs-baseline", "No baseline score before the first session: response cannot be judged. Record a baseline or review."));
                return true;
            case OutcomeStatus.NeedsReview:
                reasons.Add(new("needs-review", "The outcome cannot be classified from the scores as they stand: physician review."));
                return true;
            default:
                return false;
        }
    }

    private static ProposalReason? Worsening(TreatmentProgress progress, MaintenanceSettings settings)
    {
        var scores = progress.RecentScores;
        if (scores.Count < 2 || progress.BaselineScore is not { } baseline || baseline <= 0)
        {
            return null;
        }

        var latest = scores[^1];
        var best = scores.Take(scores.Count - 1).Min();
        var rise = latest - best;
        var threshold = settings.WorseningPercentOfBaseline;

        // Exact arithmetic: rise / baseline ≥ p / 100, multiplied out.
        return rise > 0 && rise * 100m >= threshold.Value * baseline
            ? new ProposalReason("worsening", Invariant(
                $"Latest score {latest} is {rise} above the recent best of {best}, at least {threshold.Value} % of the baseline {baseline} ({threshold.Source})."))
            : null;
    }

    private static int CurrentRung(IReadOnlyList<int> ladder, int? interval)
    {
        if (interval is not { } days)
        {
            return 0;
        }

        var rung = 0;
        for (var i = 0; i < ladder.Count; i++)
        {
            if (ladder[i] <= days)
            {
                rung = i;
            }
        }

        return rung;
    }

    private static string Capital(string code) => char.ToUpperInvariant(code[0]) + code[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
