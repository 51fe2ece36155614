using KetaClinic.App.Security;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.App.Features.Plans;

public static class PlanApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/protocols", (ProtocolLibrary library) => TypedResults.Ok(library.Protocols.Select(TreatmentPlans.Describe).ToList()))
            .RequireAuthorization(Permissions.ClinicRead).WithName("ListProtocols");
        api.MapGet("/patients/{id:guid}/plans", async (Guid id, TreatmentPlans plans, HttpContext http, CancellationToken ct) =>
                (await plans.PatientAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PlansRead).WithName("PatientPlans");
        api.MapPost("/patients/{id:guid}/plans", async (Guid id, CreatePlanRequest request, TreatmentPlans plans, HttpContext http, CancellationToken ct) =>
                (await plans.CreateAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp(p => TypedResults.Created($"/api/plans/{p.Id}", p)))
            .RequireAuthorization(Permissions.PlansWrite).WithName("CreatePlan");
        api.MapGet("/plans/{planId:guid}", async (Guid planId, TreatmentPlans plans, HttpContext http, CancellationToken ct) =>
                (await plans.GetAsync(planId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PlansRead).WithName("GetPlan");
        api.MapPost("/plans/{planId:guid}/dose-orders", async (Guid planId, OrderDoseRequest request, TreatmentPlans plans, HttpContext http, CancellationToken ct) =>
                (await plans.OrderDoseAsync(planId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PlansWrite).WithName("OrderDose");
        api.MapGet("/plans/{planId:guid}/proposal", async (Guid planId, TreatmentPlans plans, HttpContext http, CancellationToken ct) =>
                (await plans.ProposalAsync(planId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PlansRead).WithName("PlanProposal");
        api.MapPost("/plans/{planId:guid}/proposal/decision", async (Guid planId, DecideProposalRequest request, TreatmentPlans plans, HttpContext http, CancellationToken ct) =>
                (await plans.DecideAsync(planId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.PlansWrite).WithName("DecidePlanProposal");
    }
}
