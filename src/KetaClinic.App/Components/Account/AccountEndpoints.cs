using KetaClinic.App.Data;
using Microsoft.AspNetCore.Identity;

namespace KetaClinic.App.Components.Account;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/Account/Logout", async (SignInManager<ClinicUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        }).RequireAuthorization().WithName("Logout").ExcludeFromDescription();
        return app;
    }
}
