using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace KetaClinic.App.Features;

/// <summary>
/// Turns unreadable API requests (malformed JSON, a value of the wrong type) into a 400 problem naming the
/// field, instead of an empty 400 or a 500.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad || !httpContext.Request.Path.StartsWithSegments("/api"))
        {
            return false;
        }
        var json = exception.InnerException as JsonException;
        var field = json?.Path is { Length: > 2 } path ? path.TrimStart('$', '.')
            : ParameterName().Match(bad.Message) is { Success: true } m ? m.Groups[1].Value
            : "body";
        var message = json is null ? bad.Message : $"{field} has a value that cannot be read: {FirstLine(json.Message)}";
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are not valid.",
            Detail = message,
        };
        details.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    // Minimal APIs word a failed query or route binding as: Failed to bind parameter "int? take" from "abc".
    [System.Text.RegularExpressions.GeneratedRegex("parameter \"[^\"]* (\\w+)\"")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    private static string FirstLine(string text) => text.Split('\n')[0].Split(" Path:")[0];
}
