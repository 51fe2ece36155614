using KetaClinic.App.Data;
using KetaClinic.App.Security;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Clinic;

public sealed record ChairView(Guid Id, string Name, bool HasInfusionPump, bool HasMonitor, bool IsActive);

public sealed record LocationView(Guid Id, string Name, string? AddressLine1, string? City, string? Region, string? PostalCode, string? Phone, string TimeZone, IReadOnlyList<ChairView> Chairs);

/// <summary>The clinic's locations and chairs (no patient data).</summary>
public sealed class ClinicDirectory(IDbContextFactory<ClinicDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<LocationView>>> LocationsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ClinicRead))
        {
            return Result<IReadOnlyList<LocationView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var locations = await db.Locations.AsNoTracking().Include(l => l.Chairs).OrderBy(l => l.Name).ToListAsync(ct);
        return Result<IReadOnlyList<LocationView>>.Ok(locations.Select(l => new LocationView(
            l.Id, l.Name, l.AddressLine1, l.City, l.Region, l.PostalCode, l.Phone, l.TimeZone,
            l.Chairs.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new ChairView(c.Id, c.Name, c.HasInfusionPump, c.HasMonitor, c.IsActive)).ToList())).ToList());
    }
}
