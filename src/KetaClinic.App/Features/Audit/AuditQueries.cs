using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Audit;
using KetaClinic.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Audit;

public sealed record AuditSearch(DateTimeOffset? From, DateTimeOffset? To, string? User, Guid? PatientId, string? Action, string? RecordType, long? BeforeSequence, int Take = 100);

public sealed record AuditEntryView(long Sequence, DateTimeOffset OccurredAt, string UserId, string UserName, string Roles, string Action, string RecordType, string? RecordId, Guid? PatientId, string? RemoteAddress, string? Details, string Hash);

/// <summary>Read-only access to the audit log. There is no write or edit path here or anywhere else.</summary>
public sealed class AuditQueries(IDbContextFactory<ClinicDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<AuditEntryView>>> SearchAsync(AuditSearch search, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.AuditRead))
        {
            return Result<IReadOnlyList<AuditEntryView>>.Forbidden();
        }
        var v = new Validator();
        if (search.Take is < 1 or > 1000)
        {
            v.Add("take", "must be between 1 and 1000.");
        }
        if (search.From is { } f && search.To is { } t && f > t)
        {
            v.Add("to", "must not be before 'from'.");
        }
        var user = v.Text("user", search.User, 256, required: false);
        if (!v.IsValid)
        {
            return Result<IReadOnlyList<AuditEntryView>>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (search.From is { } from)
        {
            q = q.Where(e => e.OccurredAt >= from);
        }
        if (search.To is { } to)
        {
            q = q.Where(e => e.OccurredAt <= to);
        }
        if (user is not null)
        {
            q = q.Where(e => e.UserName.Contains(user) || e.UserId == user);
        }
        if (search.PatientId is { } pid)
        {
            q = q.Where(e => e.PatientId == pid);
        }
        if (!string.IsNullOrWhiteSpace(search.Action))
        {
            q = q.Where(e => e.Action == search.Action);
        }
        if (!string.IsNullOrWhiteSpace(search.RecordType))
        {
            q = q.Where(e => e.RecordType == search.RecordType);
        }
        if (search.BeforeSequence is { } before)
        {
            q = q.Where(e => e.Sequence < before);
        }
        var rows = await q.OrderByDescending(e => e.Sequence).Take(search.Take).ToListAsync(ct);
        return Result<IReadOnlyList<AuditEntryView>>.Ok(rows.Select(e => new AuditEntryView(
            e.Sequence, e.OccurredAt, e.UserId, e.UserName, e.Roles, e.Action, e.RecordType, e.RecordId, e.PatientId, e.RemoteAddress, e.Details, e.Hash)).ToList());
    }

    public async Task<Result<ChainVerification>> VerifyAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.AuditRead))
        {
            return Result<ChainVerification>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Result<ChainVerification>.Ok(await AuditTrail.VerifyAsync(db, ct));
    }
}
