using KetaClinic.App.Security;
using KetaClinic.Domain.Instruments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KetaClinic.App.Features.Measurement;

public static class MeasurementApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/instruments", (Measurements m) => TypedResults.Ok(m.Catalog.Definitions.Select(Summary).ToList()))
            .RequireAuthorization(Permissions.ClinicRead).WithName("ListInstruments");
        api.MapGet("/instruments/{id}", Results<Ok<InstrumentDetail>, ProblemHttpResult> (string id, string? version, Measurements m) =>
            {
                var d = m.Catalog.Find(id, version);
                return d is null
                    ? TypedResults.Problem($"No instrument '{id}'{(version is null ? "" : " version " + version)}.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
                    : TypedResults.Ok(Detail(d));
            })
            .RequireAuthorization(Permissions.ClinicRead).WithName("GetInstrument");

        var patients = api.MapGroup("/patients/{id:guid}");
        patients.MapPost("/responses", async (Guid id, RecordResponseRequest request, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.RecordAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp(r => TypedResults.Created($"/api/patients/{id}/responses/{r.Id}", r)))
            .RequireAuthorization(Permissions.MeasuresWrite).WithName("RecordResponse");
        patients.MapGet("/outcomes", async (Guid id, Guid? courseId, OutcomeQueries q, HttpContext http, CancellationToken ct) =>
                (await q.PatientAsync(id, courseId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.MeasuresRead).WithName("PatientOutcomes");
        patients.MapGet("/links", async (Guid id, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.CheckInViewAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.LinksIssue).WithName("ListPatientLinks");
        patients.MapPost("/links", async (Guid id, IssueLinkRequest request, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.IssueLinkAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp(l => TypedResults.Created($"/api/patients/{id}/links/{l.Id}", l)))
            .RequireAuthorization(Permissions.LinksIssue).WithName("IssuePatientLink");
        patients.MapPost("/links/{linkId:guid}/revoke", async (Guid id, Guid linkId, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.RevokeLinkAsync(id, linkId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.LinksIssue).WithName("RevokePatientLink");

        api.MapPost("/sessions/{id:guid}/check-in", async (Guid id, CheckInRequest? request, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.CheckInAsync(id, request?.SentVia, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.LinksIssue).WithName("CheckInSession");

        api.MapGet("/alerts", async (bool? all, Guid? patientId, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.AlertsAsync(all ?? false, patientId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.AlertsRead).WithName("ListAlerts");
        api.MapPost("/alerts/{id:guid}/acknowledge", async (Guid id, AcknowledgeAlertRequest request, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.AcknowledgeAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.AlertsAcknowledge).WithName("AcknowledgeAlert");

        api.MapGet("/outcomes/dashboard", async (string? instrument, DateOnly? from, DateOnly? to, Guid? locationId, OutcomeQueries q, HttpContext http, CancellationToken ct) =>
                (await q.DashboardAsync(new OutcomeDashboardQuery(instrument, from, to, locationId), ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.OutcomesReport).WithName("OutcomeDashboard");

        var open = api.MapGroup("/public/questionnaires").AllowAnonymous();
        open.MapGet("/{token}", async (string token, Measurements m, HttpContext http, CancellationToken ct) =>
            {
                var q = await m.OpenLinkAsync(token, http.Connection.RemoteIpAddress?.ToString(), ct);
                return OpenLink(q.State, q.Message, q);
            })
            .WithName("OpenQuestionnaire");
        open.MapPost("/{token}", async (string token, PublicSubmitRequest request, Measurements m, HttpContext http, CancellationToken ct) =>
                (await m.SubmitLinkAsync(token, request, http.Connection.RemoteIpAddress?.ToString(), ct)).ToHttp())
            .WithName("SubmitQuestionnaire").DisableAntiforgery();
    }

    /// <summary>A patient link's page: its content when the link can be used, otherwise 404 (unknown) or 410 (used, expired, withdrawn).</summary>
    internal static IResult OpenLink<T>(string state, string message, T content) => state == "open"
        ? Results.Ok(content)
        : Results.Problem(message, statusCode: state == "unknown" ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone, title: $"Link {state}");

    internal static InstrumentSummary Summary(InstrumentDefinition d) =>
        new(d.Id, d.Version, d.Title, d.Rater.ToString().ToLowerInvariant(), d.RecallWindowDays, d.Licence.WordingIncluded, d.Licence.Note, d.Loinc.Panel, d.Loinc.Total);

    internal static InstrumentDetail Detail(InstrumentDefinition d) =>
        new(Summary(d), d.Instructions,
            d.Items.Select(i => new InstrumentItemView(i.Id, i.ShortTitle, i.Text, i.IsRequired, i.IsScored, i.LoincCode,
                i.AnswerOptions.Select(o => new AnswerOptionView(o.Value, o.Score, o.Display)).ToList(),
                i.EnableWhen.Select(c => c.ToString()).ToList())).ToList(),
            d.SeverityBands.Select(b => new ChartBand(b.Code, b.Display, b.Min, b.Max)).ToList(),
            d.Scoring.TotalRange?.Min, d.Scoring.TotalRange?.Max, d.Source);
}
