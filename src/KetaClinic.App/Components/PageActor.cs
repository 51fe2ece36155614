using KetaClinic.App.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace KetaClinic.App.Components;

/// <summary>The signed-in user of a page, as an <see cref="Actor"/> for the handlers and the audit log.</summary>
public sealed class PageActor(AuthenticationStateProvider auth, IHttpContextAccessor http)
{
    private readonly string? _remoteAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public async Task<Actor> GetAsync()
    {
        var state = await auth.GetAuthenticationStateAsync();
        return Actor.FromPrincipal(state.User, _remoteAddress);
    }
}
