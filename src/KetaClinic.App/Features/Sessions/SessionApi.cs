using System.Text.Json;
using System.Text.Json.Nodes;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

public static class SessionApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/sessions/today", async (Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.TodayAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsRead).WithName("TodaysSessions");
        api.MapGet("/chairs/board", async (Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.ChairBoardAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsRead).WithName("ChairBoard");
        api.MapGet("/rems/overdue", async (RemsForms f, HttpContext http, CancellationToken ct) =>
                (await f.OverdueAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsRead).WithName("OverdueRemsForms");

        // The chair's clinical settings in force (each value with its source) and the monitor mapping; and any earlier
        // version a session's steps were taken under, by the version stored with each step.
        api.MapGet("/sessions/settings", (SessionLog log, VitalsMappingSettings mapping) => TypedResults.Ok(new JsonObject
            {
                ["version"] = log.SettingsVersion,
                ["sessions"] = JsonSerializer.SerializeToNode(log.Settings, ClinicalSettings.Json),
                ["monitorMapping"] = JsonSerializer.SerializeToNode(mapping, ClinicalSettings.Json),
            }))
            .RequireAuthorization(Permissions.ClinicRead).WithName("SessionSettings");
        api.MapGet("/sessions/settings/{version}", async Task<IResult> (string version, IDbContextFactory<ClinicDbContext> dbs, CancellationToken ct) =>
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                return await SessionLog.StoredVersionAsync(db, version, ct) is { } stored
                    ? TypedResults.Ok(new JsonObject
                    {
                        ["version"] = stored.Id,
                        ["recordedAt"] = stored.RecordedAt,
                        ["sessions"] = JsonNode.Parse(stored.Settings),
                    })
                    : TypedResults.NotFound(new { error = $"No settings version '{version}' is stored." });
            })
            .RequireAuthorization(Permissions.ClinicRead).WithName("SessionSettingsVersion");

        var session = api.MapGroup("/sessions/{id:guid}");
        session.MapGet("", async (Guid id, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.GetAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsRead).WithName("GetSession");
        session.MapPost("/facts", async (Guid id, ChairFactsRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.RecordFactsAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("RecordSessionFacts");
        session.MapPost("/overrides", async (Guid id, OverrideRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.OverrideGateAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("OverridePreDoseCheck");
        session.MapPost("/checks-passed", async (Guid id, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.PassChecksAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("PassPreDoseChecks");
        session.MapPost("/dosing", async (Guid id, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.StartDosingAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("StartDosing");
        session.MapPost("/dosing-record", async (Guid id, DosingRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.CompleteDosingAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("CompleteDosing");
        session.MapPost("/alerts/{number:int}/acknowledge", async (Guid id, int number, AcknowledgeAlertRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.AcknowledgeAlertAsync(id, number, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("AcknowledgeSessionAlert");
        session.MapPost("/side-effects", async (Guid id, SideEffectRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.RecordSideEffectAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("RecordSideEffect");
        session.MapPost("/recovery", async (Guid id, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.BeginRecoveryAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("BeginRecovery");
        session.MapPost("/discharge-assessment", async (Guid id, AssessmentPayload request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.AssessAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("RecordDischargeAssessment");
        session.MapPost("/discharge", async (Guid id, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.DischargeAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("DischargeSession");
        session.MapPost("/discharge-override", async (Guid id, DischargeOverrideRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.DischargeWithOverrideAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("DischargeSessionWithOverride");
        session.MapPost("/stop", async (Guid id, StopRequest request, Sessions s, HttpContext http, CancellationToken ct) =>
                (await s.StopEarlyAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("StopSessionEarly");
        session.MapGet("/record", async (Guid id, SessionRecords r, HttpContext http, CancellationToken ct) =>
                (await r.GetAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsRead).WithName("GetSessionRecord");
        session.MapGet("/rems-form", async (Guid id, RemsForms f, HttpContext http, CancellationToken ct) =>
                (await f.GetAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsRead).WithName("GetRemsForm");
        session.MapPost("/rems-form/fields", async (Guid id, RemsFieldsRequest request, RemsForms f, HttpContext http, CancellationToken ct) =>
                (await f.CompleteAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("CompleteRemsForm");
        session.MapPost("/rems-form/submission", async (Guid id, RemsSubmitRequest request, RemsForms f, HttpContext http, CancellationToken ct) =>
                (await f.SubmitAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.SessionsWrite).WithName("SubmitRemsForm");
    }
}
