using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Users;

public sealed record UserView(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsActive, DateTimeOffset? LockedOutUntil, DateTimeOffset CreatedAt);

public sealed record CreateUserRequest(string? Email, string? DisplayName, IReadOnlyList<string>? Roles, string? Password);

public sealed record UpdateUserRequest(string? DisplayName, IReadOnlyList<string>? Roles, bool IsActive);

public sealed record ResetPasswordRequest(string? NewPassword);

/// <summary>Administrators manage staff accounts: create, change roles, deactivate, unlock, reset passwords. All audited.</summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, AuditTrail audit, TimeProvider clock)
{
    public const string RecordType = "user";

    public async Task<Result<IReadOnlyList<UserView>>> ListAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.UsersManage))
        {
            return Result<IReadOnlyList<UserView>>.Forbidden();
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roleRows = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return Result<IReadOnlyList<UserView>>.Ok(users.Select(u => new UserView(
            u.Id, u.Email ?? string.Empty, u.DisplayName,
            roleRows.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(),
            u.IsActive,
            u.LockoutEnd is { } end && end > now ? end : null,
            u.CreatedAt)).ToList());
    }

    public async Task<Result<UserView>> CreateAsync(CreateUserRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.UsersManage))
        {
            return Result<UserView>.Forbidden();
        }
        var v = new Validator();
        var email = v.Email("email", request?.Email, required: true);
        var name = v.Text("displayName", request?.DisplayName, 100, required: true);
        var roles = ValidateRoles(v, request?.Roles);
        v.Text("password", request?.Password, 128, required: true);
        if (!v.IsValid)
        {
            return Result<UserView>.Invalid(v.Errors);
        }
        return await InScope<UserView>(actor, async (users, db) =>
        {
            if (await users.FindByEmailAsync(email!) is not null)
            {
                return Result<UserView>.Invalid("email", "is already used by another account.");
            }
            var user = new ClinicUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name!, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true };
            var created = await users.CreateAsync(user, request!.Password!);
            if (!created.Succeeded)
            {
                return Result<UserView>.Invalid(IdentityErrors(created));
            }
            var added = await users.AddToRolesAsync(user, roles);
            if (!added.Succeeded)
            {
                return Result<UserView>.Invalid(IdentityErrors(added, "roles"));
            }
            await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, user.Id, null, new { email, roles }, ct);
            return Result<UserView>.Ok(await ViewAsync(users, user));
        }, ct);
    }

    public async Task<Result<UserView>> UpdateAsync(string id, UpdateUserRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.UsersManage))
        {
            return Result<UserView>.Forbidden();
        }
        var v = new Validator();
        var name = v.Text("displayName", request?.DisplayName, 100, required: true);
        var roles = ValidateRoles(v, request?.Roles);
        if (id == actor.UserId && (request is { IsActive: false } || !roles.Contains(ClinicRoles.Administrator)))
        {
            v.Add("roles", "you cannot remove your own administrator role or deactivate yourself; ask another administrator.");
        }
        if (!v.IsValid)
        {
            return Result<UserView>.Invalid(v.Errors);
        }
        return await InScope<UserView>(actor, async (users, db) =>
        {
            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return Result<UserView>.NotFound($"No user with id {id}.");
            }
            var current = await users.GetRolesAsync(user);
            var toRemove = current.Except(roles).ToList();
            var toAdd = roles.Except(current).ToList();
            if (toRemove.Contains(ClinicRoles.Administrator) || (!request!.IsActive && current.Contains(ClinicRoles.Administrator)))
            {
                var admins = await users.GetUsersInRoleAsync(ClinicRoles.Administrator);
                if (admins.Count(a => a.IsActive) <= 1)
                {
                    return Result<UserView>.Invalid("roles", "the clinic must keep at least one active administrator.");
                }
            }
            user.DisplayName = name!;
            var wasActive = user.IsActive;
            user.IsActive = request!.IsActive;
            if (wasActive && !user.IsActive)
            {
                // Sign the account out everywhere: cookies are revalidated against the security stamp.
                await users.UpdateSecurityStampAsync(user);
            }
            await users.RemoveFromRolesAsync(user, toRemove);
            await users.AddToRolesAsync(user, toAdd);
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded)
            {
                return Result<UserView>.Invalid(IdentityErrors(updated));
            }
            if (toRemove.Count > 0 || toAdd.Count > 0)
            {
                await users.UpdateSecurityStampAsync(user);
            }
            await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, user.Id, null, new { rolesAdded = toAdd, rolesRemoved = toRemove, isActive = user.IsActive }, ct);
            return Result<UserView>.Ok(await ViewAsync(users, user));
        }, ct);
    }

    public async Task<Result<UserView>> ResetPasswordAsync(string id, ResetPasswordRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.UsersManage))
        {
            return Result<UserView>.Forbidden();
        }
        if (string.IsNullOrEmpty(request?.NewPassword))
        {
            return Result<UserView>.Invalid("newPassword", "is required.");
        }
        return await InScope<UserView>(actor, async (users, db) =>
        {
            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return Result<UserView>.NotFound($"No user with id {id}.");
            }
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, request.NewPassword);
            if (!reset.Succeeded)
            {
                return Result<UserView>.Invalid(IdentityErrors(reset, "newPassword"));
            }
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, user.Id, null, new { passwordReset = true }, ct);
            return Result<UserView>.Ok(await ViewAsync(users, user));
        }, ct);
    }

    public async Task<Result<UserView>> UnlockAsync(string id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.UsersManage))
        {
            return Result<UserView>.Forbidden();
        }
        return await InScope<UserView>(actor, async (users, db) =>
        {
            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return Result<UserView>.NotFound($"No user with id {id}.");
            }
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, user.Id, null, new { unlocked = true }, ct);
            return Result<UserView>.Ok(await ViewAsync(users, user));
        }, ct);
    }

    private static List<string> ValidateRoles(Validator v, IReadOnlyList<string>? roles)
    {
        var list = (roles ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            v.Add("roles", $"at least one role is required ({string.Join(", ", ClinicRoles.All)}).");
        }
        foreach (var unknown in list.Where(r => !ClinicRoles.All.Contains(r)))
        {
            v.Add("roles", $"'{unknown}' is not a role; use {string.Join(", ", ClinicRoles.All)}.");
        }
        return list;
    }

    /// <summary>Runs an account change with a fresh UserManager whose store shares the audited transaction.</summary>
    private async Task<Result<T>> InScope<T>(Actor actor, Func<UserManager<ClinicUser>, ClinicDbContext, Task<Result<T>>> work, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var result = await work(users, db);
        if (!result.IsOk)
        {
            await tx.RollbackAsync(ct);
            return result;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private static async Task<UserView> ViewAsync(UserManager<ClinicUser> users, ClinicUser u) =>
        new(u.Id, u.Email ?? string.Empty, u.DisplayName, (await users.GetRolesAsync(u)).Order(StringComparer.Ordinal).ToList(), u.IsActive, u.LockoutEnd, u.CreatedAt);

    private static List<FieldError> IdentityErrors(IdentityResult result, string defaultField = "password") =>
        result.Errors.Select(e => new FieldError(
            e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
            : e.Code.Contains("Role", StringComparison.Ordinal) ? "roles" : defaultField,
            e.Description)).ToList();
}
