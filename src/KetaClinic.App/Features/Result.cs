using KetaClinic.Domain.Common;

namespace KetaClinic.App.Features;

public enum ResultStatus
{
    Ok,
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
}

/// <summary>What a handler answers: a value, or why not. The API and the pages map it the same way.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Result<T>.Ok(...) reads best at call sites.")]
public sealed record Result<T>(ResultStatus Status, T? Value, IReadOnlyList<FieldError> Errors, string? Message)
{
    public bool IsOk => Status == ResultStatus.Ok;

    public static Result<T> Ok(T value) => new(ResultStatus.Ok, value, [], null);
    public static Result<T> Invalid(IReadOnlyList<FieldError> errors) => new(ResultStatus.Invalid, default, errors, "One or more fields are not valid.");
    public static Result<T> Invalid(string field, string message) => Invalid([new FieldError(field, message)]);
    public static Result<T> NotFound(string message) => new(ResultStatus.NotFound, default, [], message);
    public static Result<T> Forbidden(string message = "Your role does not allow this.") => new(ResultStatus.Forbidden, default, [], message);
    public static Result<T> Conflict(string message) => new(ResultStatus.Conflict, default, [], message);

    /// <summary>The first error for a field, for showing beside it on a form.</summary>
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;
}

public static class ResultHttpExtensions
{
    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult>? onOk = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            ResultStatus.Ok => onOk is null ? TypedResults.Ok(result.Value) : onOk(result.Value!),
            ResultStatus.Invalid => TypedResults.ValidationProblem(
                result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"{e.Field} {e.Message}").ToArray()),
                detail: string.Join(" ", result.Errors.Select(e => $"{e.Field} {e.Message}")),
                title: "One or more fields are not valid."),
            ResultStatus.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            ResultStatus.Forbidden => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
            ResultStatus.Conflict => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
            _ => throw new InvalidOperationException($"Unknown result status {result.Status}."),
        };
    }
}
