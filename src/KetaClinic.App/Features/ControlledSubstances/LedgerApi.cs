using System.Text;
using KetaClinic.App.Security;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>The controlled-substance ledger's JSON API under /api/ledger; each endpoint behind the clinic's ledger permission.</summary>
public static class LedgerApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var g = api.MapGroup("/ledger");

        g.MapGet("/reference", async (LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.ReferenceAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(Permissions.ClinicRead).WithName("LedgerReference");
        g.MapPost("/registrations", async (RegistrationRequest request, LedgerSetup setup, HttpContext http, CancellationToken ct) =>
                (await setup.AddRegistrationAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp(r => TypedResults.Created($"/api/ledger/reference", r)))
            .RequireAuthorization(LedgerPermissions.Manage).WithName("AddDeaRegistration");
        g.MapPost("/storage-locations", async (StorageLocationRequest request, LedgerSetup setup, HttpContext http, CancellationToken ct) =>
                (await setup.AddStorageAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp(r => TypedResults.Created($"/api/ledger/reference", r)))
            .RequireAuthorization(LedgerPermissions.Manage).WithName("AddStorageLocation");
        g.MapPost("/products", async (ProductRequest request, LedgerSetup setup, HttpContext http, CancellationToken ct) =>
                (await setup.AddProductAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp(r => TypedResults.Created($"/api/ledger/reference", r)))
            .RequireAuthorization(LedgerPermissions.Manage).WithName("AddControlledProduct");

        g.MapGet("/stock", async (LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.StockAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerStock");
        g.MapGet("/balance", async (Guid productId, Guid? storageLocationId, DateTimeOffset? at, LedgerQueries q, HttpContext http, CancellationToken ct) =>
                (await q.BalanceAtAsync(productId, storageLocationId, at, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerBalanceAt");
        g.MapGet("/entries", async (DateTimeOffset? from, DateTimeOffset? to, string? kind, Guid? sessionId, long? before, int? take, LedgerQueries q, HttpContext http, CancellationToken ct) =>
                (await q.JournalAsync(new JournalQuery(from, to, kind, sessionId, before, take ?? 100), ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerJournal");
        g.MapGet("/verify", async (LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.VerifyAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerVerify");

        g.MapPost("/receipts", async (ReceiptRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.ReceiveAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Receive).WithName("RecordReceipt");
        g.MapPost("/transfers", async (TransferRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.TransferAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Receive).WithName("RecordTransfer");
        g.MapPost("/draws", async (DrawRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.DrawAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Draw).WithName("RecordDraw");
        g.MapPost("/administrations", async (AdministrationRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.AdministerAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Draw).WithName("RecordAdministration");
        g.MapPost("/wastes", async (WasteRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.WasteAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Draw).WithName("RecordWaste");
        g.MapPost("/returns", async (ReturnRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.ReturnAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Dispose).WithName("RecordReturnToSupplier");
        g.MapPost("/destructions", async (DestructionRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.DestroyAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Dispose).WithName("RecordDestruction");
        g.MapPost("/losses", async (LossRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.ReportLossAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.ReportLoss).WithName("RecordLossOrTheft");
        g.MapPost("/losses/{sequence:long}/reports", async (long sequence, LossReportRequest request, Ledger l, HttpContext http, CancellationToken ct) =>
                Created(await l.RecordLossReportAsync(sequence, request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.ReportLoss).WithName("RecordLossReportFiled");
        g.MapPost("/corrections", async (CorrectionRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.CorrectAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Correct).WithName("RecordCorrection");
        g.MapPost("/counts", async (CountRequest request, Ledger l, HttpContext http, CancellationToken ct) => Created(await l.CountAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.Count).WithName("RecordCount");
        g.MapPost("/discrepancies/resolve", async (ResolveDiscrepancyRequest request, Ledger l, HttpContext http, CancellationToken ct) =>
                Created(await l.ResolveDiscrepancyAsync(request, ClinicApi.ActorOf(http), ct)))
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("ResolveDiscrepancy");

        g.MapGet("/sessions", async (DateOnly? day, LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.SessionsAsync(day, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.Draw).WithName("LedgerSessions");
        g.MapGet("/sessions/{id:guid}", async (Guid id, LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.SessionAsync(id, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.Draw).WithName("LedgerSession");
        g.MapPost("/sessions/{id:guid}/close-check", async (Guid id, LedgerQueries q, HttpContext http, CancellationToken ct) =>
            {
                var result = await q.CloseSessionDrawsAsync(id, ClinicApi.ActorOf(http), ct);
                return result is { Status: ResultStatus.Conflict, Value: { } open } ? TypedResults.Json(open, statusCode: StatusCodes.Status409Conflict) : result.ToHttp();
            })
            .RequireAuthorization(LedgerPermissions.Draw).WithName("CloseSessionDraws");
        g.MapGet("/open-draws", async (DateOnly? day, LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.OpenDrawsAsync(day, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerOpenDraws");

        g.MapGet("/alerts", async (LedgerQueries q, HttpContext http, CancellationToken ct) => (await q.AlertsAsync(ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerAlerts");
        g.MapPost("/alerts/acknowledge", async (AcknowledgeLedgerAlertRequest request, LedgerQueries q, HttpContext http, CancellationToken ct) =>
                (await q.AcknowledgeAsync(request, ClinicApi.ActorOf(http), ct)).ToHttp())
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("AcknowledgeLedgerAlert");

        g.MapGet("/reports/{report}", async (string report, string? format, DateOnly? from, DateOnly? to, Guid? productId, Guid? patientId, string? person,
                Guid? storageLocationId, Guid? containerId, string? mrn, LedgerReportService reports, HttpContext http, CancellationToken ct) =>
            {
                var result = await reports.BuildAsync(report, new LedgerReportFilter(from, to, productId, patientId, person, storageLocationId, containerId, mrn), ClinicApi.ActorOf(http), ct);
                if (!result.IsOk)
                {
                    return result.ToHttp();
                }
                var table = result.Value!;
                var stamp = table.GeneratedAt.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
                return (format ?? "json").ToUpperInvariant() switch
                {
                    "CSV" => TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(LedgerReportService.ToCsv(table))).ToArray(), "text/csv; charset=utf-8", $"ledger-{report}-{stamp}.csv"),
                    "HTML" => TypedResults.Content(reports.ToHtml(table), "text/html; charset=utf-8"),
                    "JSON" => TypedResults.Ok(table),
                    _ => Result<LedgerReportTable>.Invalid("format", "must be json, csv or html.").ToHttp(),
                };
            })
            .RequireAuthorization(LedgerPermissions.ViewReports).WithName("LedgerReport");
    }

    private static IResult Created(Result<LedgerEntryView> result) =>
        result.ToHttp(e => TypedResults.Created($"/api/ledger/entries?before={e.Sequence + 1}&take=1", e));
}
