using KetaClinic.App.Data;
using KetaClinic.App.Security;
using Microsoft.AspNetCore.Identity;

namespace KetaClinic.App.Features.Auth;

public sealed record LoginRequest(string? Email, string? Password);

/// <summary>Signs a staff member in; every attempt, good or bad, goes to the audit log.</summary>
public sealed class SignInAudit(IServiceScopeFactory scopes, AuditTrail audit)
{
    public async Task RecordAsync(string? email, ClinicUser? user, bool succeeded, string? reason, string? remoteAddress, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var roles = user is null ? [] : (await users.GetRolesAsync(user)).ToList();
        var actor = new Actor(user?.Id ?? "unknown", email ?? string.Empty, roles, remoteAddress);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        await audit.RecordAsync(db, actor, succeeded ? AuditActions.Login : AuditActions.LoginFailed, "account", user?.Id, null, reason is null ? null : new { reason }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

public sealed record SignInOutcome(bool Succeeded, string? Problem);

/// <summary>
/// Password sign-in for staff, shared by the login page (cookie) and the API (bearer token): lockout counts
/// every failure, and every attempt, good or bad, is audited.
/// </summary>
public sealed class StaffSignIn(SignInManager<ClinicUser> signIn, SignInAudit signInAudit)
{
    public const string BadCredentials = "The email or password is not correct.";
    public const string LockedOut = "This account is locked after repeated failed attempts. Try again in 15 minutes or ask an administrator to unlock it.";

    public async Task<SignInOutcome> PasswordAsync(string email, string password, string scheme, string? remoteAddress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var user = await signIn.UserManager.FindByEmailAsync(email.Trim());
        signIn.AuthenticationScheme = scheme;
        var result = user is null
            ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await signInAudit.RecordAsync(email, user, true, null, remoteAddress, ct);
            return new SignInOutcome(true, null);
        }
        var reason = result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "not-allowed" : "bad-credentials";
        await signInAudit.RecordAsync(email, user, false, reason, remoteAddress, ct);
        return new SignInOutcome(false, result.IsLockedOut ? LockedOut : BadCredentials);
    }
}

/// <summary>POST /api/auth/login: email and password in, a bearer token out (ASP.NET Core Identity's token format).</summary>
public static class ApiLogin
{
    public static async Task<IResult> LoginAsync(LoginRequest request, StaffSignIn signIn, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(request?.Email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrWhiteSpace(request?.Email) ? "email" : "password"] = ["email and password are required."],
            });
        }
        var outcome = await signIn.PasswordAsync(request.Email, request.Password, IdentityConstants.BearerScheme, http.Connection.RemoteIpAddress?.ToString(), ct);
        // On success the bearer handler has already written the token response.
        return outcome.Succeeded
            ? TypedResults.Empty
            : TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
    }
}

/// <summary>Deactivated accounts cannot sign in, whatever their password.</summary>
public sealed class ClinicSignInManager(
    UserManager<ClinicUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ClinicUser> claimsFactory,
    Microsoft.Extensions.Options.IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ClinicUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ClinicUser> confirmation)
    : SignInManager<ClinicUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ClinicUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsActive && await base.CanSignInAsync(user);
    }
}
