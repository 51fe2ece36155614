using System.Globalization;
using System.Security.Claims;
using KetaClinic.App.Features.Audit;
using KetaClinic.App.Features.Auth;
using KetaClinic.App.Features.Clinic;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Features.Users;
using KetaClinic.App.Security;
using KetaClinic.Domain.Patients;

namespace KetaClinic.App.Features;

/// <summary>The JSON API: one endpoint for every operation the pages offer, each behind its permission policy.</summary>
public static class ClinicApi
{
    public static IEndpointRouteBuilder MapClinicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("KetaClinic");

        api.MapPost("/auth/login", ApiLogin.LoginAsync)
            .AllowAnonymous().RequireRateLimiting("login").WithName("Login");
        api.MapGet("/me", (ClaimsPrincipal user, PermissionGrants grants) =>
            {
                var actor = Actor.FromPrincipal(user, null);
                return TypedResults.Ok(new { actor.UserId, actor.UserName, actor.Roles, permissions = grants.PermissionsOf(actor) });
            })
            .RequireAuthorization().WithName("Me");

        var patients = api.MapGroup("/patients");
        patients.MapGet("", async (string? q, string? dob, string? mrn, int? take, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
            {
                DateOnly? dobValue = null;
                if (!string.IsNullOrWhiteSpace(dob))
                {
                    if (!DateOnly.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    {
                        return Result<IReadOnlyList<PatientSummary>>.Invalid("dob", "must be a date in the form yyyy-mm-dd.").ToHttp();
                    }
                    dobValue = parsed;
                }
                return (await registry.SearchAsync(new PatientSearchQuery(q, dobValue, mrn, take ?? 50), ActorOf(http), ct)).ToHttp();
            })
            .RequireAuthorization(Permissions.PatientsRead).WithName("SearchPatients");
        patients.MapPost("", async (PatientDetails details, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.RegisterAsync(details, ActorOf(http), ct)).ToHttp(r => TypedResults.Created($"/api/patients/{r.Id}", r)))
            .RequireAuthorization(Permissions.PatientsWrite).WithName("RegisterPatient");
        patients.MapGet("/{id:guid}", async (Guid id, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.GetAsync(id, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PatientsRead).WithName("GetPatient");
        patients.MapPut("/{id:guid}", async (Guid id, UpdatePatientRequest request, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.UpdateAsync(id, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PatientsWrite).WithName("UpdatePatient");
        patients.MapPost("/{id:guid}/diagnoses", async (Guid id, AddDiagnosisRequest request, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.AddDiagnosisAsync(id, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.DiagnosesWrite).WithName("AddDiagnosis");
        patients.MapPost("/{id:guid}/diagnoses/{diagnosisId:guid}/status", async (Guid id, Guid diagnosisId, ChangeStatusRequest request, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.ChangeDiagnosisStatusAsync(id, diagnosisId, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.DiagnosesWrite).WithName("ChangeDiagnosisStatus");
        patients.MapPost("/{id:guid}/allergies", async (Guid id, AddAllergyRequest request, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.AddAllergyAsync(id, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ClinicalWrite).WithName("AddAllergy");
        patients.MapPost("/{id:guid}/allergies/{allergyId:guid}/status", async (Guid id, Guid allergyId, ChangeStatusRequest request, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.ChangeAllergyStatusAsync(id, allergyId, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ClinicalWrite).WithName("ChangeAllergyStatus");
        patients.MapPost("/{id:guid}/measurements", async (Guid id, RecordMeasurementRequest request, PatientRegistry registry, HttpContext http, CancellationToken ct) =>
                (await registry.RecordMeasurementAsync(id, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ClinicalWrite).WithName("RecordMeasurement");

        var users = api.MapGroup("/users");
        users.MapGet("", async (UserAdministration admin, HttpContext http, CancellationToken ct) => (await admin.ListAsync(ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.UsersManage).WithName("ListUsers");
        users.MapPost("", async (CreateUserRequest request, UserAdministration admin, HttpContext http, CancellationToken ct) =>
                (await admin.CreateAsync(request, ActorOf(http), ct)).ToHttp(u => TypedResults.Created($"/api/users/{u.Id}", u)))
            .RequireAuthorization(Permissions.UsersManage).WithName("CreateUser");
        users.MapPut("/{id}", async (string id, UpdateUserRequest request, UserAdministration admin, HttpContext http, CancellationToken ct) =>
                (await admin.UpdateAsync(id, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.UsersManage).WithName("UpdateUser");
        users.MapPost("/{id}/password", async (string id, ResetPasswordRequest request, UserAdministration admin, HttpContext http, CancellationToken ct) =>
                (await admin.ResetPasswordAsync(id, request, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.UsersManage).WithName("ResetUserPassword");
        users.MapPost("/{id}/unlock", async (string id, UserAdministration admin, HttpContext http, CancellationToken ct) =>
                (await admin.UnlockAsync(id, ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.UsersManage).WithName("UnlockUser");

        api.MapGet("/audit", async (DateTimeOffset? from, DateTimeOffset? to, string? user, Guid? patientId, string? action, string? recordType, long? before, int? take, AuditQueries audit, HttpContext http, CancellationToken ct) =>
                (await audit.SearchAsync(new AuditSearch(from, to, user, patientId, action, recordType, before, take ?? 100), ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.AuditRead).WithName("SearchAudit");
        api.MapGet("/audit/verify", async (AuditQueries audit, HttpContext http, CancellationToken ct) =>
                (await audit.VerifyAsync(ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.AuditRead).WithName("VerifyAudit");

        Measurement.MeasurementApi.Map(api);
        Monitoring.MonitoringApi.Map(api);
        Evaluation.EvaluationApi.Map(api);
        ControlledSubstances.LedgerApi.Map(api);
        Plans.PlanApi.Map(api);
        Scheduling.SchedulingApi.Map(api, app);
        Sessions.SessionApi.Map(api);

        api.MapGet("/locations", async (ClinicDirectory directory, HttpContext http, CancellationToken ct) =>
                (await directory.LocationsAsync(ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ClinicRead).WithName("ListLocations");
        return app;
    }

    public static Actor ActorOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Actor.FromPrincipal(http.User, http.Connection.RemoteIpAddress?.ToString());
    }
}
