namespace KetaClinic.App.Security;

/// <summary>The parts of the app a person reaches without an account; they are rate-limited and show no record.</summary>
public static class PublicPaths
{
    public const string Questionnaire = "/q";
    public const string ConsultationRequest = "/request";
    public const string PreScreening = "/prescreen";
    public const string Api = "/api/public";
    public const string CalendarFeed = "/calendar";

    /// <summary>Largest request body a public page or endpoint accepts; every field has its own, smaller, limit.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private static readonly string[] Prefixes = [Questionnaire, ConsultationRequest, PreScreening, Api, CalendarFeed];

    public static bool IsPublic(PathString path) =>
        Prefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
