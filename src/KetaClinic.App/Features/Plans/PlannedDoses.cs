using KetaClinic.App.Data;
using KetaClinic.Domain.Protocols;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Plans;

/// <summary>The dose a course's sessions are to give: the protocol and the physician's current dose order.</summary>
public sealed record PlannedDose(Guid CourseId, TreatmentProtocol Protocol, DoseAmount Dose, int OrderVersion, string OrderedBy, string Source);

/// <summary>
/// The seam between treatment plans and the chair: the session module asks here for the dose to calculate and
/// never reads plan tables itself.
/// </summary>
public interface IPlannedDoses
{
    /// <summary>The current order for the course, or null when the course has no protocol the clinic knows.</summary>
    Task<PlannedDose?> ForCourseAsync(ClinicDbContext db, Guid courseId, CancellationToken ct);
}

/// <summary>Until a course has a treatment plan, its dose is the protocol's default (REFERENCE.md §5).</summary>
public sealed class ProtocolDefaultDoses(ProtocolLibrary protocols) : IPlannedDoses
{
    public async Task<PlannedDose?> ForCourseAsync(ClinicDbContext db, Guid courseId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var code = await db.TreatmentCourses.AsNoTracking().Where(c => c.Id == courseId).Select(c => c.ProtocolCode).SingleOrDefaultAsync(ct);
        var protocol = code is null ? null : protocols.Find(code);
        if (protocol is null)
        {
            return null;
        }

        return new PlannedDose(courseId, protocol, protocol.Dose.Default.Value, 0, "protocol default", protocol.Dose.Default.Source);
    }
}

/// <summary>
/// The current version of the physician's dose order of the course's treatment plan; a course without a plan falls
/// back to its protocol's default (<see cref="ProtocolDefaultDoses"/>).
/// </summary>
public sealed class PlanDoses(ProtocolLibrary protocols) : IPlannedDoses
{
    private readonly ProtocolDefaultDoses _fallback = new(protocols);

    public async Task<PlannedDose?> ForCourseAsync(ClinicDbContext db, Guid courseId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var plan = await db.TreatmentPlans.AsNoTracking().Where(p => p.CourseId == courseId).Select(p => new { p.Id, p.ProtocolId }).SingleOrDefaultAsync(ct);
        if (plan is null)
        {
            return await _fallback.ForCourseAsync(db, courseId, ct);
        }
        var protocol = protocols.Find(plan.ProtocolId);
        if (protocol is null)
        {
            return null;
        }
        var current = await db.DoseOrders.AsNoTracking().Where(o => o.PlanId == plan.Id).OrderByDescending(o => o.Version).FirstAsync(ct);
        return new PlannedDose(courseId, protocol, TreatmentPlans.Amount(current), current.Version, current.OrderedByName,
            $"dose order version {current.Version} of {current.OrderedAt:yyyy-MM-dd} by {current.OrderedByName}: {current.Reason}");
    }
}
