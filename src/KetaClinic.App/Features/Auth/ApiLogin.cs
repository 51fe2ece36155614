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

/// <summary>POST /api/auth/login: email and password in, a bearer token out (ASP.NET Core Identity's token format).</summary>
public sealed class ApiLogin(SignInManager<ClinicUser> signIn, SignInAudit signInAudit)
{
    public async Task<IResult> LoginAsync(LoginRequest request, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(request?.Email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrWhiteSpace(request?.Email) ? "email" : "password"] = ["email and password are required."],
            });
        }
        var remote = http.Connection.RemoteIpAddress?.ToString();
        var user = await signIn.UserManager.FindByEmailAsync(request.Email.Trim());
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = user is null
            ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            var reason = result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "not-allowed" : "bad-credentials";
            await signInAudit.RecordAsync(request.Email, user, false, reason, remote, ct);
            return TypedResults.Problem(
                result.IsLockedOut ? "The account is locked after repeated failed attempts. Try again later or ask an administrator." : "The email or password is not correct.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
        }
        await signInAudit.RecordAsync(request.Email, user, true, null, remote, ct);
        // The bearer handler has written the token response.
        return TypedResults.Empty;
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
