using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Security;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>Endpoints of the path from inquiry to informed consent.</summary>
public static class EvaluationApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);

        // Without an account: a person asks for a consultation; a patient answers the pre-screening link.
        var open = api.MapGroup("/public").AllowAnonymous();
        open.MapPost("/consultation-requests", async (PublicConsultationRequest request, ConsultationRequests requests, HttpContext http, CancellationToken ct) =>
                (await requests.SubmitPublicAsync(request, http.Connection.RemoteIpAddress?.ToString(), ct)).ToHttp())
            .WithName("RequestConsultation").DisableAntiforgery();
        open.MapGet("/prescreening/{token}", async (string token, PreScreenings p, HttpContext http, CancellationToken ct) =>
            {
                var form = await p.OpenAsync(token, http.Connection.RemoteIpAddress?.ToString(), ct);
                return MeasurementApi.OpenLink(form.State, form.Message, form);
            })
            .WithName("OpenPreScreening");
        open.MapPost("/prescreening/{token}", async (string token, PreScreeningSubmitRequest request, PreScreenings p, HttpContext http, CancellationToken ct) =>
                (await p.SubmitAsync(token, request, http.Connection.RemoteIpAddress?.ToString(), ct)).ToHttp())
            .WithName("SubmitPreScreening").DisableAntiforgery();

        var leads = api.MapGroup("/leads").RequireAuthorization(Permissions.LeadsManage);
        leads.MapGet("", async (string? status, ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.ListAsync(status, ClinicApi.ActorOf(http), ct)).ToHttp())
            .WithName("ListLeads");
        leads.MapPost("", async (PhoneConsultationRequest request, ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.CreatePhoneAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp(l => TypedResults.Created($"/api/leads/{l.Id}", l)))
            .WithName("CreatePhoneLead");
        leads.MapGet("/{leadId:guid}", async (Guid leadId, ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.GetAsync(leadId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .WithName("GetLead");
        leads.MapPost("/{leadId:guid}/status", async (Guid leadId, LeadStatusRequest request, ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.ChangeStatusAsync(leadId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .WithName("ChangeLeadStatus");
        leads.MapPost("/{leadId:guid}/convert", async (Guid leadId, ConvertLeadRequest request, ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.ConvertAsync(leadId, request, ClinicApi.ActorOf(http), ct)).ToHttp(c => TypedResults.Created($"/api/patients/{c.PatientId}", c)))
            .RequireAuthorization(Permissions.PatientsWrite).WithName("ConvertLead");

        api.MapGet("/consultations", async (int? days, ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.UpcomingAsync(days ?? 30, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PatientsRead).WithName("ListConsultations");
        api.MapGet("/consultations/physicians", async (ConsultationRequests r, HttpContext http, CancellationToken ct) =>
                (await r.PhysiciansAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.LeadsManage).WithName("ListBookablePhysicians");

        var patients = api.MapGroup("/patients/{id:guid}");
        patients.MapPost("/prescreening-links", async (Guid id, IssuePreScreeningRequest? request, PreScreenings p, HttpContext http, CancellationToken ct) =>
                (await p.IssueAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp(l => TypedResults.Created($"/api/patients/{id}/links/{l.Id}", l)))
            .RequireAuthorization(Permissions.LinksIssue).WithName("IssuePreScreeningLink");
        patients.MapGet("/evaluations", async (Guid id, Evaluations e, HttpContext http, CancellationToken ct) =>
                (await e.OverviewAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.EvaluationsRead).WithName("EvaluationOverview");
        patients.MapPost("/evaluations", async (Guid id, Evaluations e, HttpContext http, CancellationToken ct) =>
                (await e.CreateAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp(v => TypedResults.Created($"/api/evaluations/{v.Id}", v)))
            .RequireAuthorization(Permissions.EvaluationsWrite).WithName("StartEvaluation");
        patients.MapGet("/readiness", async (Guid id, string? route, TreatmentReadiness r, HttpContext http, CancellationToken ct) =>
                (await r.ForPatientAsync(id, route, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.EvaluationsRead).WithName("TreatmentReadiness");
        patients.MapGet("/consents", async (Guid id, Consents c, HttpContext http, CancellationToken ct) =>
                (await c.ListAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ConsentsRead).WithName("ListConsents");
        patients.MapPost("/consents", async (Guid id, SignConsentRequest request, Consents c, HttpContext http, CancellationToken ct) =>
                (await c.SignAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp(v => TypedResults.Created($"/api/consents/{v.Id}", v)))
            .RequireAuthorization(Permissions.ConsentsWrite).WithName("SignConsent");

        var evaluations = api.MapGroup("/evaluations/{evaluationId:guid}");
        evaluations.MapGet("", async (Guid evaluationId, Evaluations e, HttpContext http, CancellationToken ct) =>
                (await e.GetAsync(evaluationId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.EvaluationsRead).WithName("GetEvaluation");
        evaluations.MapPut("", async (Guid evaluationId, SaveEvaluationRequest request, Evaluations e, HttpContext http, CancellationToken ct) =>
                (await e.SaveAsync(evaluationId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.EvaluationsWrite).WithName("SaveEvaluation");
        evaluations.MapPost("/sign-off", async (Guid evaluationId, SignOffRequest request, Evaluations e, HttpContext http, CancellationToken ct) =>
                (await e.SignAsync(evaluationId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.EvaluationsWrite).WithName("SignOffEvaluation");
        evaluations.MapPost("/addenda", async (Guid evaluationId, AddendumRequest request, Evaluations e, HttpContext http, CancellationToken ct) =>
                (await e.AddAddendumAsync(evaluationId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.EvaluationsWrite).WithName("AddEvaluationAddendum");

        api.MapGet("/consent-documents", (Consents c, HttpContext http) => c.DocumentsFor(ClinicApi.ActorOf(http)).ToHttp())
            .RequireAuthorization(Permissions.ConsentsRead).WithName("ListConsentDocuments");
        var consents = api.MapGroup("/consents/{consentId:guid}");
        consents.MapPost("/countersign", async (Guid consentId, CountersignRequest request, Consents c, HttpContext http, CancellationToken ct) =>
                (await c.CountersignAsync(consentId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ConsentsCountersign).WithName("CountersignConsent");
        consents.MapPost("/withdraw", async (Guid consentId, WithdrawConsentRequest request, Consents c, HttpContext http, CancellationToken ct) =>
                (await c.WithdrawAsync(consentId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ConsentsWrite).WithName("WithdrawConsent");
        consents.MapPost("/rems", async (Guid consentId, RemsEnrolmentRequest request, Consents c, HttpContext http, CancellationToken ct) =>
                (await c.RecordRemsAsync(consentId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ConsentsWrite).WithName("RecordRemsEnrolment");
    }
}
