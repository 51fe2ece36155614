using KetaClinic.App.Security;

namespace KetaClinic.App.Features.Scheduling;

public static class SchedulingApi
{
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(app);
        var resources = api.MapGroup("/schedule/resources");
        resources.MapGet("", async (ClinicResources r, HttpContext http, CancellationToken ct) => (await r.GetAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("ScheduleResources");
        resources.MapPut("/opening-hours", async (SetOpeningHoursRequest request, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.SetOpeningHoursAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("SetOpeningHours");
        resources.MapPost("/closures", async (AddClosureRequest request, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.AddClosureAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("AddClinicClosure");
        resources.MapPost("/shifts", async (AddShiftsRequest request, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.AddShiftsAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("AddNurseShifts");
        resources.MapPost("/shifts/{shiftId:guid}/remove", async (Guid shiftId, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.RemoveShiftAsync(shiftId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("RemoveNurseShift");
        resources.MapPut("/chairs/{chairId:guid}", async (Guid chairId, ChairEquipmentRequest request, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.SetChairAsync(chairId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("SetChairEquipment");
        resources.MapPost("/chair-closures", async (CloseChairRequest request, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.CloseChairAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("CloseChair");
        resources.MapPost("/appointment-types", async (SaveAppointmentTypeRequest request, ClinicResources r, HttpContext http, CancellationToken ct) =>
                (await r.SaveAppointmentTypeAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("SaveAppointmentType");
        api.MapGet("/schedule/replan-reports", async (ClinicResources r, HttpContext http, CancellationToken ct) => (await r.ReportsAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ResourcesManage).WithName("ReplanReports");

        api.MapPost("/plans/{planId:guid}/series/proposal", async (Guid planId, ProposeSeriesRequest request, SeriesBooking b, HttpContext http, CancellationToken ct) =>
                (await b.ProposeAsync(planId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("ProposeSeries");
        api.MapPost("/plans/{planId:guid}/series", async (Guid planId, ConfirmSeriesRequest request, SeriesBooking b, HttpContext http, CancellationToken ct) =>
                (await b.ConfirmAsync(planId, request, ClinicApi.ActorOf(http), ct)).ToHttp(s => TypedResults.Created($"/api/plans/{planId}", s)))
            .RequireAuthorization(Permissions.ScheduleBook).WithName("ConfirmSeries");

        api.MapGet("/schedule", async (Guid? locationId, DateOnly? day, int? days, Schedule s, HttpContext http, CancellationToken ct) =>
                (await s.BoardAsync(locationId, day, days ?? 1, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleRead).WithName("ScheduleBoard");
        api.MapPost("/sessions/{id:guid}/cancel", async (Guid id, SessionReasonRequest request, Schedule s, HttpContext http, CancellationToken ct) =>
                (await s.CancelAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("CancelSession");
        api.MapPost("/sessions/{id:guid}/no-show", async (Guid id, SessionReasonRequest request, Schedule s, HttpContext http, CancellationToken ct) =>
                (await s.NoShowAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("SessionNoShow");
        api.MapPost("/sessions/{id:guid}/reschedule", async (Guid id, RescheduleRequest request, Schedule s, HttpContext http, CancellationToken ct) =>
                (await s.RescheduleAsync(id, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("RescheduleSession");
        api.MapGet("/sessions/{id:guid}/free-slots", async (Guid id, DateOnly? day, Schedule s, ClinicSettings clinic, TimeProvider clock, HttpContext http, CancellationToken ct) =>
                (await s.FreeSlotsAsync(id, day ?? clinic.Today(clock), ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("SessionFreeSlots");
        api.MapPost("/plans/{planId:guid}/waitlist", async (Guid planId, WaitlistRequest request, Schedule s, HttpContext http, CancellationToken ct) =>
                (await s.AddToWaitlistAsync(planId, request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("AddToWaitlist");
        api.MapGet("/waitlist", async (Schedule s, HttpContext http, CancellationToken ct) => (await s.WaitlistAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleRead).WithName("Waitlist");
        api.MapPost("/waitlist/{entryId:guid}/remove", async (Guid entryId, Schedule s, HttpContext http, CancellationToken ct) =>
                (await s.RemoveFromWaitlistAsync(entryId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("RemoveFromWaitlist");
        api.MapGet("/reminders", async (Guid? patientId, Reminders r, HttpContext http, CancellationToken ct) =>
                (await r.OutboxAsync(patientId, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("ReminderOutbox");
        api.MapPost("/patients/{id:guid}/calendar-feed", async (Guid id, CalendarFeeds f, HttpContext http, CancellationToken ct) =>
                (await f.IssueForPatientAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleBook).WithName("IssuePatientCalendarFeed");
        api.MapPost("/me/calendar-feed", async (CalendarFeeds f, HttpContext http, CancellationToken ct) =>
                (await f.IssueForMeAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ScheduleRead).WithName("IssueMyCalendarFeed");

        // The token is the credential: no account, rate-limited with the other public paths.
        app.MapGet("/calendar/{token}.ics", async (string token, CalendarFeeds f, HttpContext http, CancellationToken ct) =>
            {
                var text = await f.RenderAsync(token, http.Connection.RemoteIpAddress?.ToString(), ct);
                return text is null
                    ? Results.Problem("Unknown or withdrawn calendar feed.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
                    : Results.Text(text, "text/calendar; charset=utf-8");
            })
            .AllowAnonymous().WithName("CalendarFeed");
    }
}
