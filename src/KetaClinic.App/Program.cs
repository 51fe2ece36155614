using System.Threading.RateLimiting;
using KetaClinic.App;
using KetaClinic.App.Components;
using KetaClinic.App.Components.Account;
using KetaClinic.App.Data;
using KetaClinic.App.Demo;
using KetaClinic.App.Features;
using KetaClinic.App.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

var builder = WebApplication.CreateBuilder(args);
// Serve framework and library assets from a build output as well as from a published app (no-op when published).
builder.WebHost.UseStaticWebAssets();
builder.Services.AddClinicCore(builder.Configuration, builder.Environment.ContentRootPath);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
builder.Services.AddScoped<IdentityRedirectManager>();
builder.Services.AddScoped<PageActor>();
// Bedside monitors: HL7 v2 over MLLP on Hl7:Port (the web host only; the CLI does not listen).
builder.Services.AddSingleton<KetaClinic.App.Hl7.MllpServer>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<KetaClinic.App.Hl7.MllpServer>());
// The chair watch: overdue vitals and alert escalation (the web host only).
builder.Services.AddSingleton(new KetaClinic.App.Features.Sessions.SessionWatchSettings(
    builder.Configuration[KetaClinic.App.Features.Sessions.SessionWatchSettings.Key] is { } watchEvery
        ? KetaClinic.App.Features.Sessions.SessionWatchSettings.DefaultInterval with { Value = int.Parse(watchEvery, System.Globalization.CultureInfo.InvariantCulture) }
        : KetaClinic.App.Features.Sessions.SessionWatchSettings.DefaultInterval));
builder.Services.AddSingleton<KetaClinic.App.Features.Sessions.SessionWatch>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<KetaClinic.App.Features.Sessions.SessionWatch>());

const string SmartScheme = "CookieOrBearer";
builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = SmartScheme;
        options.DefaultChallengeScheme = SmartScheme;
        options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
    })
    .AddPolicyScheme(SmartScheme, "Cookie for the UI, bearer token for API clients", options =>
        options.ForwardDefaultSelector = ctx =>
            ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? IdentityConstants.BearerScheme
                : IdentityConstants.ApplicationScheme)
    .AddBearerToken(IdentityConstants.BearerScheme, options => options.BearerTokenExpiration = TimeSpan.FromHours(1))
    .AddIdentityCookies();
// Behind TLS (Security:RequireHttps=true) every cookie is Secure and HTTP is redirected; otherwise cookies
// follow the request's scheme so the demo runs on plain http://localhost.
var requireHttps = builder.Configuration.GetValue("Security:RequireHttps", false);
var cookieSecurity = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
builder.Services.ConfigureApplicationCookie(options =>
{
    options.Cookie.Name = "KetaClinic.Auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Strict;
    options.Cookie.SecurePolicy = cookieSecurity;
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.SlidingExpiration = true;
    options.LoginPath = "/Account/Login";
    options.AccessDeniedPath = "/Account/AccessDenied";
    // API callers get status codes, not a redirect to the login page.
    options.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
    options.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
});
var grants = PermissionGrants.From(builder.Configuration);
builder.Services.AddAuthorization(options =>
{
    foreach (var (permission, roles) in grants.All)
    {
        options.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireRole(roles));
    }
});
builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = cookieSecurity);

var keysDirectory = builder.Configuration["DataProtection:KeysDirectory"]
    ?? Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Data:Directory"] ?? DatabaseSettings.DefaultDataDirectory, "keys");
builder.Services.AddDataProtection().SetApplicationName("KetaClinic").PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<KetaClinic.App.Hl7.Hl7IntakeHealthCheck>("hl7-intake");
builder.Services.AddRateLimiter(options =>
{
    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    options.AddPolicy("login", ctx => RateLimitPartition.GetFixedWindowLimiter(
        ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = builder.Configuration.GetValue("Security:LoginAttemptsPerMinute", 30), Window = TimeSpan.FromMinutes(1) }));
    // Pages and endpoints anyone can reach without an account (questionnaire links) are limited per address.
    var publicPerMinute = builder.Configuration.GetValue("Security:PublicRequestsPerMinute", 30);
    options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
        PublicPaths.IsPublic(ctx.Request.Path)
            ? RateLimitPartition.GetFixedWindowLimiter("public:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = publicPerMinute, Window = TimeSpan.FromMinutes(1) })
            : RateLimitPartition.GetNoLimiter("staff"));
});

var app = builder.Build();

await app.Services.GetRequiredService<ClinicBootstrap>().RunAsync(CancellationToken.None);

app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler());
if (!app.Environment.IsDevelopment())
{
    app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), pages => pages.UseExceptionHandler("/Error", createScopeForErrors: true));
    app.UseHsts();
}
if (requireHttps)
{
    app.UseHttpsRedirection();
}
app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseRateLimiter();
// Pages and endpoints without an account take small bodies only; each field has its own, smaller, limit.
app.Use(async (ctx, next) =>
{
    if (PublicPaths.IsPublic(ctx.Request.Path)
        && ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
    {
        limit.MaxRequestBodySize = PublicPaths.MaxBodyBytes;
    }
    await next();
});
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapOpenApi().AllowAnonymous();
app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    ResponseWriter = DatabaseHealthCheck.WriteJson,
}).AllowAnonymous();
app.MapClinicApi();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
{
    if (ctx.Request.Path.StartsWithSegments("/api"))
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }
    ctx.Response.Redirect(ctx.RedirectUri);
    return Task.CompletedTask;
}

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
