namespace KetaClinic.App.Security;

/// <summary>The parts of the app a person reaches without an account; they are rate-limited and show no record.</summary>
public static class PublicPaths
{
    public const string Questionnaire = "/q";
    public const string Api = "/api/public";

    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments(Questionnaire, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(Api, StringComparison.OrdinalIgnoreCase);
}
