using System.Net;
using System.Text;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary>
/// Every endpoint the app maps, called for real by every role and by an anonymous caller. An endpoint missing
/// from the table fails the test, so nothing new ships without a decision about who may use it.
/// </summary>
public sealed class AuthorizationMatrixTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Staff = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk];
    private static readonly string[] Everyone = [Anonymous, .. Staff];
    private static readonly string[] PatientStaff = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk];
    private static readonly string[] Clinical = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] Admin = [ClinicRoles.Administrator];
    private static readonly string[] Desk = [ClinicRoles.Nurse, ClinicRoles.FrontDesk];
    // The controlled-substance ledger's default grants (a clinic setting): staff who handle stock, the registrant, reports.
    private static readonly string[] LedgerHandlers = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] LedgerReaders = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] LedgerResolvers = [ClinicRoles.Administrator, ClinicRoles.Physician];

    /// <summary>"METHOD pattern" → who is allowed.</summary>
    private static readonly Dictionary<string, string[]> Matrix = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/login"] = Everyone,
        ["GET /api/me"] = Staff,
        ["GET /api/patients"] = PatientStaff,
        ["POST /api/patients"] = PatientStaff,
        ["GET /api/patients/{id:guid}"] = PatientStaff,
        ["PUT /api/patients/{id:guid}"] = PatientStaff,
        ["POST /api/patients/{id:guid}/diagnoses"] = [ClinicRoles.Physician],
        ["POST /api/patients/{id:guid}/diagnoses/{diagnosisId:guid}/status"] = [ClinicRoles.Physician],
        ["POST /api/patients/{id:guid}/allergies"] = Clinical,
        ["POST /api/patients/{id:guid}/allergies/{allergyId:guid}/status"] = Clinical,
        ["POST /api/patients/{id:guid}/measurements"] = Clinical,
        ["GET /api/users"] = Admin,
        ["POST /api/users"] = Admin,
        ["PUT /api/users/{id}"] = Admin,
        ["POST /api/users/{id}/password"] = Admin,
        ["POST /api/users/{id}/unlock"] = Admin,
        ["GET /api/audit"] = Admin,
        ["GET /api/audit/verify"] = Admin,
        ["GET /api/locations"] = Staff,
        ["GET /api/instruments"] = Staff,
        ["GET /api/instruments/{id}"] = Staff,
        ["POST /api/patients/{id:guid}/responses"] = Clinical,
        ["GET /api/patients/{id:guid}/outcomes"] = Clinical,
        ["GET /api/patients/{id:guid}/links"] = PatientStaff,
        ["POST /api/patients/{id:guid}/links"] = PatientStaff,
        ["POST /api/patients/{id:guid}/links/{linkId:guid}/revoke"] = PatientStaff,
        ["POST /api/sessions/{id:guid}/check-in"] = PatientStaff,
        ["GET /api/alerts"] = Clinical,
        ["POST /api/alerts/{id:guid}/acknowledge"] = [ClinicRoles.Physician],
        ["GET /api/outcomes/dashboard"] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse],
        ["GET /api/monitors"] = Admin,
        ["POST /api/monitors"] = Admin,
        ["POST /api/monitors/{id:guid}/deactivate"] = Admin,
        ["GET /api/hl7/messages"] = Admin,
        ["GET /api/sessions/{id:guid}/vitals"] = Clinical,
        ["POST /api/sessions/{id:guid}/vitals"] = Clinical,
        // The chair workflow (issue 6): nurses and physicians; overriding a check is the physician's (a domain rule, 400).
        ["GET /api/sessions/today"] = Clinical,
        ["GET /api/chairs/board"] = Clinical,
        ["GET /api/sessions/settings"] = Staff,
        ["GET /api/sessions/settings/{version}"] = Staff,
        ["GET /api/sessions/{id:guid}"] = Clinical,
        ["POST /api/sessions/{id:guid}/facts"] = Clinical,
        ["POST /api/sessions/{id:guid}/overrides"] = Clinical,
        ["POST /api/sessions/{id:guid}/checks-passed"] = Clinical,
        ["POST /api/sessions/{id:guid}/dosing"] = Clinical,
        ["POST /api/sessions/{id:guid}/dosing-record"] = Clinical,
        ["POST /api/sessions/{id:guid}/alerts/{number:int}/acknowledge"] = Clinical,
        ["POST /api/sessions/{id:guid}/side-effects"] = Clinical,
        ["POST /api/sessions/{id:guid}/recovery"] = Clinical,
        ["POST /api/sessions/{id:guid}/discharge-assessment"] = Clinical,
        ["POST /api/sessions/{id:guid}/discharge"] = Clinical,
        ["POST /api/sessions/{id:guid}/discharge-override"] = Clinical,
        ["POST /api/sessions/{id:guid}/stop"] = Clinical,
        ["GET /api/sessions/{id:guid}/rems-form"] = Clinical,
        ["POST /api/sessions/{id:guid}/rems-form/fields"] = Clinical,
        ["POST /api/sessions/{id:guid}/rems-form/submission"] = Clinical,
        ["GET /api/rems/overdue"] = Clinical,
        ["GET /api/sessions/{id:guid}/record"] = Clinical,
        ["GET /sessions/{Id:guid}/record"] = Clinical,
        ["POST /sessions/{Id:guid}/record"] = Clinical,
        ["GET /sessions/{Id:guid}/rems"] = Clinical,
        ["POST /sessions/{Id:guid}/rems"] = Clinical,
        ["GET /sessions/{Id:guid}/rems/edit"] = Clinical,
        ["POST /sessions/{Id:guid}/rems/edit"] = Clinical,
        ["GET /rems"] = Clinical,
        ["POST /rems"] = Clinical,
        ["GET /chairs"] = Clinical,
        ["POST /chairs"] = Clinical,
        ["GET /sessions/{Id:guid}"] = Clinical,
        ["POST /sessions/{Id:guid}"] = Clinical,
        ["GET /admin/monitors"] = Admin,
        ["POST /admin/monitors"] = Admin,
        // A patient's single-use link: no account, the token is the credential; shows no record.
        ["GET /api/public/questionnaires/{token}"] = Everyone,
        ["POST /api/public/questionnaires/{token}"] = Everyone,
        ["GET /q/{Token}"] = Everyone,
        ["POST /q/{Token}"] = Everyone,
        ["GET /patients/{Id:guid}/outcomes"] = Clinical,
        ["POST /patients/{Id:guid}/outcomes"] = Clinical,
        ["GET /patients/{Id:guid}/scales/new"] = Clinical,
        ["POST /patients/{Id:guid}/scales/new"] = Clinical,
        ["GET /alerts"] = Clinical,
        ["POST /alerts"] = Clinical,
        ["GET /outcomes"] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse],
        ["POST /outcomes"] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse],
        // Consultation requests and the path to consent (issue 4).
        ["POST /api/public/consultation-requests"] = Everyone,
        ["GET /api/public/prescreening/{token}"] = Everyone,
        ["POST /api/public/prescreening/{token}"] = Everyone,
        ["GET /request"] = Everyone,
        ["POST /request"] = Everyone,
        ["GET /prescreen/{Token}"] = Everyone,
        ["POST /prescreen/{Token}"] = Everyone,
        ["GET /api/leads"] = Desk,
        ["POST /api/leads"] = Desk,
        ["GET /api/leads/{leadId:guid}"] = Desk,
        ["POST /api/leads/{leadId:guid}/status"] = Desk,
        ["POST /api/leads/{leadId:guid}/convert"] = Desk,
        ["GET /api/consultations"] = PatientStaff,
        ["GET /api/consultations/physicians"] = Desk,
        ["POST /api/patients/{id:guid}/prescreening-links"] = PatientStaff,
        ["GET /api/patients/{id:guid}/evaluations"] = Clinical,
        ["POST /api/patients/{id:guid}/evaluations"] = [ClinicRoles.Physician],
        ["GET /api/patients/{id:guid}/readiness"] = Clinical,
        ["GET /api/patients/{id:guid}/consents"] = Clinical,
        ["POST /api/patients/{id:guid}/consents"] = Clinical,
        ["GET /api/evaluations/{evaluationId:guid}"] = Clinical,
        ["PUT /api/evaluations/{evaluationId:guid}"] = [ClinicRoles.Physician],
        ["POST /api/evaluations/{evaluationId:guid}/sign-off"] = [ClinicRoles.Physician],
        ["POST /api/evaluations/{evaluationId:guid}/addenda"] = [ClinicRoles.Physician],
        ["GET /api/consent-documents"] = Clinical,
        ["POST /api/consents/{consentId:guid}/countersign"] = [ClinicRoles.Physician],
        ["POST /api/consents/{consentId:guid}/withdraw"] = Clinical,
        ["POST /api/consents/{consentId:guid}/rems"] = Clinical,
        ["GET /leads"] = Desk,
        ["POST /leads"] = Desk,
        ["GET /leads/{Id:guid}/convert"] = Desk,
        ["POST /leads/{Id:guid}/convert"] = Desk,
        ["GET /consultations"] = PatientStaff,
        ["POST /consultations"] = PatientStaff,
        ["GET /patients/{Id:guid}/evaluation"] = Clinical,
        ["POST /patients/{Id:guid}/evaluation"] = Clinical,
        ["GET /evaluations/{Id:guid}"] = Clinical,
        ["POST /evaluations/{Id:guid}"] = Clinical,
        ["GET /evaluations/{Id:guid}/summary"] = Clinical,
        ["POST /evaluations/{Id:guid}/summary"] = Clinical,
        ["GET /evaluations/{Id:guid}/letter"] = Clinical,
        ["POST /evaluations/{Id:guid}/letter"] = Clinical,
        ["GET /patients/{Id:guid}/consents/new"] = Clinical,
        ["POST /patients/{Id:guid}/consents/new"] = Clinical,
        ["GET /api/ledger/reference"] = Staff,
        ["POST /api/ledger/registrations"] = Admin,
        ["POST /api/ledger/storage-locations"] = Admin,
        ["POST /api/ledger/products"] = Admin,
        ["GET /api/ledger/stock"] = LedgerReaders,
        ["GET /api/ledger/balance"] = LedgerReaders,
        ["GET /api/ledger/entries"] = LedgerReaders,
        ["GET /api/ledger/verify"] = LedgerReaders,
        ["POST /api/ledger/receipts"] = LedgerHandlers,
        ["POST /api/ledger/transfers"] = LedgerHandlers,
        ["POST /api/ledger/draws"] = LedgerHandlers,
        ["POST /api/ledger/administrations"] = LedgerHandlers,
        ["POST /api/ledger/wastes"] = LedgerHandlers,
        ["POST /api/ledger/returns"] = [ClinicRoles.Physician],
        ["POST /api/ledger/destructions"] = [ClinicRoles.Physician],
        ["POST /api/ledger/losses"] = LedgerReaders,
        ["POST /api/ledger/losses/{sequence:long}/reports"] = LedgerReaders,
        ["POST /api/ledger/corrections"] = [ClinicRoles.Physician],
        ["POST /api/ledger/counts"] = LedgerHandlers,
        // Resolvers and the registrant; a nurse passes the reports policy but the handler refuses.
        ["POST /api/ledger/discrepancies/resolve"] = LedgerResolvers,
        ["GET /api/ledger/sessions"] = LedgerHandlers,
        ["GET /api/ledger/sessions/{id:guid}"] = LedgerHandlers,
        ["POST /api/ledger/sessions/{id:guid}/close-check"] = LedgerHandlers,
        ["GET /api/ledger/open-draws"] = LedgerReaders,
        ["GET /api/ledger/alerts"] = LedgerResolvers,
        ["POST /api/ledger/alerts/acknowledge"] = LedgerResolvers,
        ["GET /api/ledger/reports/{report}"] = LedgerReaders,
        ["GET /ledger"] = LedgerReaders,
        ["POST /ledger"] = LedgerReaders,
        ["GET /ledger/sessions/{SessionId:guid}"] = LedgerHandlers,
        ["POST /ledger/sessions/{SessionId:guid}"] = LedgerHandlers,
        ["GET /ledger/receive"] = LedgerHandlers,
        ["POST /ledger/receive"] = LedgerHandlers,
        ["GET /ledger/count"] = LedgerHandlers,
        ["POST /ledger/count"] = LedgerHandlers,
        ["GET /ledger/journal"] = LedgerReaders,
        ["POST /ledger/journal"] = LedgerReaders,
        ["GET /ledger/alerts"] = LedgerReaders,
        ["POST /ledger/alerts"] = LedgerReaders,
        ["GET /ledger/reports"] = LedgerReaders,
        ["POST /ledger/reports"] = LedgerReaders,
        ["GET /ledger/stock-actions"] = LedgerReaders,
        ["POST /ledger/stock-actions"] = LedgerReaders,
        ["GET /ledger/setup"] = Admin,
        ["POST /ledger/setup"] = Admin,
        // Treatment plans and scheduling (issue 5).
        ["GET /api/protocols"] = Staff,
        ["GET /api/patients/{id:guid}/plans"] = Clinical,
        ["POST /api/patients/{id:guid}/plans"] = [ClinicRoles.Physician],
        ["GET /api/plans/{planId:guid}"] = Clinical,
        ["POST /api/plans/{planId:guid}/dose-orders"] = [ClinicRoles.Physician],
        ["GET /api/plans/{planId:guid}/proposal"] = Clinical,
        ["POST /api/plans/{planId:guid}/proposal/decision"] = [ClinicRoles.Physician],
        ["POST /api/plans/{planId:guid}/series/proposal"] = PatientStaff,
        ["POST /api/plans/{planId:guid}/series"] = PatientStaff,
        ["GET /api/schedule"] = PatientStaff,
        ["GET /api/schedule/resources"] = Admin,
        ["PUT /api/schedule/resources/opening-hours"] = Admin,
        ["POST /api/schedule/resources/closures"] = Admin,
        ["POST /api/schedule/resources/shifts"] = Admin,
        ["POST /api/schedule/resources/shifts/{shiftId:guid}/remove"] = Admin,
        ["PUT /api/schedule/resources/chairs/{chairId:guid}"] = Admin,
        ["POST /api/schedule/resources/chair-closures"] = Admin,
        ["POST /api/schedule/resources/appointment-types"] = Admin,
        ["GET /api/schedule/replan-reports"] = Admin,
        ["POST /api/sessions/{id:guid}/cancel"] = PatientStaff,
        ["POST /api/sessions/{id:guid}/no-show"] = PatientStaff,
        ["POST /api/sessions/{id:guid}/reschedule"] = PatientStaff,
        ["GET /api/sessions/{id:guid}/free-slots"] = PatientStaff,
        ["GET /api/reminders"] = PatientStaff,
        ["POST /api/plans/{planId:guid}/waitlist"] = PatientStaff,
        ["GET /api/waitlist"] = PatientStaff,
        ["POST /api/waitlist/{entryId:guid}/remove"] = PatientStaff,
        ["POST /api/patients/{id:guid}/calendar-feed"] = PatientStaff,
        ["POST /api/me/calendar-feed"] = PatientStaff,
        // The feed token is the credential; an unknown token gets 404.
        ["GET /calendar/{token}.ics"] = Everyone,
        ["GET /protocols"] = Staff,
        ["POST /protocols"] = Staff,
        ["GET /patients/{Id:guid}/plan"] = Clinical,
        ["POST /patients/{Id:guid}/plan"] = Clinical,
        ["GET /schedule"] = PatientStaff,
        ["POST /schedule"] = PatientStaff,
        ["GET /admin/schedule"] = Admin,
        ["POST /admin/schedule"] = Admin,
        ["GET /healthz"] = Everyone,
        // Static files of wwwroot (stylesheet, icons): no patient data.
        ["GET /{**path:file}"] = Everyone,
        ["HEAD /{**path:file}"] = Everyone,
        ["GET /openapi/{documentName}.json"] = Everyone,
        ["POST /Account/Logout"] = Staff,
        ["GET /"] = Staff,
        ["POST /"] = Staff,
        ["POST /Error"] = Everyone,
        ["POST /not-found"] = Everyone,
        ["POST /Account/AccessDenied"] = Everyone,
        ["POST /patients"] = PatientStaff,
        ["POST /patients/new"] = PatientStaff,
        ["POST /patients/{Id:guid}"] = PatientStaff,
        ["POST /patients/{Id:guid}/edit"] = PatientStaff,
        ["POST /admin/users"] = Admin,
        ["POST /admin/audit"] = Admin,
        ["GET /Account/Login"] = Everyone,
        ["POST /Account/Login"] = Everyone,
        ["GET /Account/AccessDenied"] = Everyone,
        ["GET /not-found"] = Everyone,
        ["GET /Error"] = Everyone,
        ["GET /patients"] = PatientStaff,
        ["GET /patients/new"] = PatientStaff,
        ["GET /patients/{Id:guid}"] = PatientStaff,
        ["GET /patients/{Id:guid}/edit"] = PatientStaff,
        ["GET /admin/users"] = Admin,
        ["GET /admin/audit"] = Admin,
    };

    /// <summary>Blazor's own plumbing: open to all by design, the pages behind it check roles.</summary>
    private static bool IsFrameworkEndpoint(string pattern) =>
        pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern.StartsWith("/_framework", StringComparison.Ordinal);

    [Fact]
    public async Task Every_endpoint_allows_exactly_the_roles_in_the_matrix()
    {
        var endpoints = EnumerateEndpoints();
        var unlisted = endpoints.Where(e => !Matrix.ContainsKey(e.Key)).Select(e => $"{e.Key} [{e.Name}]").ToList();
        Assert.True(unlisted.Count == 0, "Endpoints without an entry in the authorization matrix: " + string.Join(", ", unlisted));
        var missing = Matrix.Keys.Where(k => endpoints.All(e => e.Key != k)).ToList();
        Assert.True(missing.Count == 0, "Matrix entries for endpoints that no longer exist: " + string.Join(", ", missing));

        var ids = await RouteValues();
        var failures = new List<string>();
        foreach (var who in Everyone)
        {
            using var client = await fixture.App.ClientForAsync(who == Anonymous ? null : who);
            foreach (var (key, method, pattern, _) in endpoints)
            {
                if (key == "POST /Account/Logout")
                {
                    continue; // signing out would end this client's session; checked separately below
                }
                var url = Fill(pattern, ids);
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request);
                var denied = IsDenied(response);
                var expectedAllowed = Matrix[key].Contains(who);
                if (denied == expectedAllowed)
                {
                    failures.Add($"{who} {key} ({url}): expected {(expectedAllowed ? "allow" : "deny")}, got {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Logout_needs_a_signed_in_user()
    {
        using var anonymous = await fixture.App.ClientForAsync(null);
        Assert.True(IsDenied(await anonymous.PostAsync("/Account/Logout", null)));
        using var nurse = await fixture.App.ClientForAsync(ClinicRoles.Nurse);
        Assert.False(IsDenied(await nurse.PostAsync("/Account/Logout", null)));
    }

    private static bool IsDenied(HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return true;
        }
        var location = response.Headers.Location?.ToString() ?? string.Empty;
        return (int)response.StatusCode is >= 300 and < 400
            && (location.Contains("Account/Login?", StringComparison.OrdinalIgnoreCase) || location.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase));
    }

    private List<(string Key, string Method, string Pattern, string? Name)> EnumerateEndpoints()
    {
        var sources = fixture.App.Services.GetServices<EndpointDataSource>();
        var list = new List<(string, string, string, string?)>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor"))
            {
                continue;
            }
            var raw = (endpoint.RoutePattern.RawText ?? string.Empty).Trim('/');
            var pattern = "/" + raw;
            if (IsFrameworkEndpoint(pattern))
            {
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                list.Add(($"{method} {pattern}", method, pattern, endpoint.DisplayName));
            }
        }
        return list.DistinctBy(e => e.Item1).ToList();
    }

    private async Task<Dictionary<string, string>> RouteValues()
    {
        await using var db = fixture.App.NewDbContext();
        var patient = await db.Patients.Include(p => p.Diagnoses).Include(p => p.Allergies).FirstAsync(p => p.Diagnoses.Any() && p.Allergies.Any());
        var user = await db.Users.FirstAsync(u => u.Email == "frontdesk@demo.clinic");
        return new(StringComparer.Ordinal)
        {
            ["{id:guid}"] = patient.Id.ToString(),
            ["{Id:guid}"] = patient.Id.ToString(),
            ["{diagnosisId:guid}"] = patient.Diagnoses.First().Id.ToString(),
            ["{allergyId:guid}"] = patient.Allergies.First().Id.ToString(),
            ["{id}"] = user.Id,
            ["{documentName}"] = "v1",
            ["{linkId:guid}"] = Guid.NewGuid().ToString(),
            ["{leadId:guid}"] = Guid.NewGuid().ToString(),
            ["{evaluationId:guid}"] = Guid.NewGuid().ToString(),
            ["{consentId:guid}"] = Guid.NewGuid().ToString(),
            ["{token}"] = "not-a-real-token",
            ["{Token}"] = "not-a-real-token",
            ["{**path:file}"] = "app.css",
            ["{SessionId:guid}"] = Guid.NewGuid().ToString(),
            ["{sequence:long}"] = "1",
            ["{report}"] = "administrations",
            ["{planId:guid}"] = Guid.NewGuid().ToString(),
            ["{shiftId:guid}"] = Guid.NewGuid().ToString(),
            ["{chairId:guid}"] = Guid.NewGuid().ToString(),
            ["{entryId:guid}"] = Guid.NewGuid().ToString(),
            ["{number:int}"] = "1",
            ["{version}"] = "0000",
        };
    }

    private static string Fill(string pattern, Dictionary<string, string> values)
    {
        foreach (var (token, value) in values)
        {
            pattern = pattern.Replace(token, value, StringComparison.Ordinal);
        }
        return pattern;
    }
}
