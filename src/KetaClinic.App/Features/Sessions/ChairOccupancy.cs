using KetaClinic.App.Hl7;
using KetaClinic.Domain.Sessions;
using SessionRow = KetaClinic.App.Data.TreatmentSession;

namespace KetaClinic.App.Features.Sessions;

/// <summary>
/// Which session is in progress at a chair: a patient is at the chair (<see cref="VitalsIntake.SessionsAtChair"/>) and
/// was checked in (or, before check-in, booked) within the visit window. A session left open from an earlier visit is
/// not. The chair's monitor files its values into that session, and a second patient is not checked in beside it.
/// </summary>
public static class ChairOccupancy
{
    /// <summary>The earliest check-in of a session still in progress at <paramref name="now"/>.</summary>
    public static DateTimeOffset InProgressSince(DateTimeOffset now, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return now.AddHours(-settings.PreDose.VisitWindowHours.Value);
    }

    /// <summary>
    /// The sessions with a patient at the chair, checked in (or booked) at or after <paramref name="since"/>. The HL7
    /// intake reads the same rule in its own statement (<see cref="IntakeReads"/>).
    /// </summary>
    public static IQueryable<SessionRow> InProgress(this IQueryable<SessionRow> sessions, DateTimeOffset since) =>
        sessions.Where(s => VitalsIntake.SessionsAtChair.Contains(s.Status) && (s.CheckedInAt ?? s.ScheduledStart) >= since);

    /// <summary>Of sessions read with <see cref="InProgress"/>, the one at the chair at <paramref name="since"/> or later: the latest checked in.</summary>
    public static ChairSession? AtChair(IEnumerable<ChairSession> inProgress, Guid chairId, DateTimeOffset since) =>
        inProgress.Where(s => s.ChairId == chairId && (s.CheckedInAt ?? s.ScheduledStart) >= since).OrderByDescending(s => s.CheckedInAt).FirstOrDefault();
}
