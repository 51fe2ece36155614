using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.AspNetCore.Identity;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>
/// A second person proves they are present by entering their own email and password at the moment of the entry.
/// The check goes through Identity's sign-in manager without touching anyone's session: a wrong password counts
/// toward that account's lockout, and every attempt, good or bad, is audited.
/// </summary>
public sealed class WitnessAuthenticator(IServiceScopeFactory scopes, AuditTrail audit, PermissionGrants grants, TimeProvider clock)
{
    public const string Record = "ledger-witness";
    public const string Succeeded = "witness";
    public const string Failed = "witness-failed";

    public const string BadCredentials = "the email or password is not correct.";

    /// <summary>
    /// The attestation of the person who signed in, or the reason not. <paramref name="permissions"/>: the person must
    /// hold one of them; <paramref name="notThese"/>: user ids who may not be this person (the one acting, or other witnesses).
    /// </summary>
    public async Task<(WitnessAttestation? Attestation, FieldError? Error)> AuthenticateAsync(
        string field, WitnessInput? input, Actor actor, string purpose, IReadOnlyList<string> permissions, IReadOnlyCollection<string> notThese, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(notThese);
        var email = input?.Email?.Trim();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(input?.Password))
        {
            return (null, new FieldError(field, "is required: the second person enters their own email and password."));
        }
        await using var scope = scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ClinicUser>>();
        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            await RecordAsync(scope.ServiceProvider, null, email, [], actor, purpose, "bad-credentials", ct);
            return (null, new FieldError(field, BadCredentials));
        }
        var roles = (await signIn.UserManager.GetRolesAsync(user)).ToList();
        if (string.Equals(user.Id, actor.UserId, StringComparison.Ordinal) || notThese.Contains(user.Id, StringComparer.Ordinal))
        {
            await RecordAsync(scope.ServiceProvider, user, email, roles, actor, purpose, "same-person", ct);
            return (null, new FieldError(field, string.Equals(user.Id, actor.UserId, StringComparison.Ordinal)
                ? "must be someone other than you: a second person signs in here."
                : "is already signing this entry: each person signs once."));
        }
        var result = await signIn.CheckPasswordSignInAsync(user, input.Password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            var reason = result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "not-allowed" : "bad-credentials";
            await RecordAsync(scope.ServiceProvider, user, email, roles, actor, purpose, reason, ct);
            return (null, new FieldError(field, result.IsLockedOut
                ? "this account is locked after repeated failed attempts; try again later or ask an administrator."
                : result.IsNotAllowed ? "this account cannot sign in." : BadCredentials));
        }
        if (!permissions.Any(p => grants.Allows(p, roles)))
        {
            await RecordAsync(scope.ServiceProvider, user, email, roles, actor, purpose, "not-permitted", ct);
            return (null, new FieldError(field, $"{email} has no role this clinic allows to sign for this ({string.Join(", ", permissions)})."));
        }
        var at = LedgerChain.NormalizeInstant(clock.GetUtcNow());
        await RecordAsync(scope.ServiceProvider, user, email, roles, actor, purpose, null, ct);
        return (new WitnessAttestation(user.Id, at), null);
    }

    private async Task RecordAsync(IServiceProvider services, ClinicUser? user, string email, IReadOnlyList<string> roles, Actor actor, string purpose, string? failure, CancellationToken ct)
    {
        var db = services.GetRequiredService<ClinicDbContext>();
        var who = new Actor(user?.Id ?? "unknown", email, roles, actor.RemoteAddress);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        await audit.RecordAsync(db, who, failure is null ? Succeeded : Failed, Record, user?.Id, null,
            new { purpose, forUser = actor.UserId, forUserName = actor.UserName, reason = failure }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
