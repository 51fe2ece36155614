using System.Security.Claims;

namespace KetaClinic.App.Security;

public static class ClinicRoles
{
    public const string Administrator = "Administrator";
    public const string Physician = "Physician";
    public const string Nurse = "Nurse";
    public const string FrontDesk = "FrontDesk";

    public static readonly IReadOnlyList<string> All = [Administrator, Physician, Nurse, FrontDesk];
}

/// <summary>
/// What each role may do. Endpoint policies and handlers read this one table, so a page, an API call and
/// an in-process call can never disagree. Least privilege: administrators run the system, not the charts.
/// </summary>
public static class Permissions
{
    public const string PatientsRead = "patients.read";
    public const string PatientsWrite = "patients.write";
    public const string ClinicalRead = "clinical.read";
    public const string DiagnosesWrite = "diagnoses.write";
    public const string ClinicalWrite = "clinical.write";
    public const string UsersManage = "users.manage";
    public const string AuditRead = "audit.read";
    public const string ClinicRead = "clinic.read";
    public const string MeasuresRead = "measures.read";
    public const string MeasuresWrite = "measures.write";
    public const string LinksIssue = "links.issue";
    public const string AlertsRead = "alerts.read";
    public const string AlertsAcknowledge = "alerts.acknowledge";
    public const string OutcomesReport = "outcomes.report";
    public const string DevicesManage = "devices.manage";
    public const string VitalsRead = "vitals.read";
    public const string VitalsWrite = "vitals.write";
    public const string LeadsManage = "leads.manage";
    public const string EvaluationsRead = "evaluations.read";
    public const string EvaluationsWrite = "evaluations.write";
    public const string ConsentsRead = "consents.read";
    public const string ConsentsWrite = "consents.write";
    public const string ConsentsCountersign = "consents.countersign";
    public const string PlansRead = "plans.read";
    public const string PlansWrite = "plans.write";
    public const string ScheduleRead = "schedule.read";
    public const string ScheduleBook = "schedule.book";
    public const string ResourcesManage = "resources.manage";
    public const string SessionsRead = "sessions.read";
    public const string SessionsWrite = "sessions.write";

    public static readonly IReadOnlyDictionary<string, string[]> RolesFor = new Dictionary<string, string[]>
    {
        [PatientsRead] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        [PatientsWrite] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        [ClinicalRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [DiagnosesWrite] = [ClinicRoles.Physician],
        [ClinicalWrite] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [UsersManage] = [ClinicRoles.Administrator],
        [AuditRead] = [ClinicRoles.Administrator],
        [ClinicRead] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        [MeasuresRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [MeasuresWrite] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        // The front desk checks patients in and hands out questionnaire links, but never sees the answers.
        [LinksIssue] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        [AlertsRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [AlertsAcknowledge] = [ClinicRoles.Physician],
        // Aggregate rates only, no patient is named: the administrator runs the clinic on these figures.
        [OutcomesReport] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse],
        // Registering monitors and reading the HL7 message log (no patient data) is the administrator's job.
        [DevicesManage] = [ClinicRoles.Administrator],
        [VitalsRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [VitalsWrite] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        // The front desk works the queue of consultation requests and turns them into patients and bookings;
        // nurses cover the phone. A request holds what the person wrote about their treatment, so no one else.
        [LeadsManage] = [ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        [EvaluationsRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        // Only a physician evaluates, signs off and writes addenda.
        [EvaluationsWrite] = [ClinicRoles.Physician],
        [ConsentsRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        // A nurse may present the consent and record the patient's signature; a physician countersigns.
        [ConsentsWrite] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [ConsentsCountersign] = [ClinicRoles.Physician],
        // Plans hold the dose: clinical staff read them, only a physician creates a plan or orders a dose.
        [PlansRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [PlansWrite] = [ClinicRoles.Physician],
        // The day board names patients: the staff who book and treat them, not the administrator.
        [ScheduleRead] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        [ScheduleBook] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.FrontDesk],
        // Hours, closures, shifts and appointment types (no patient data) are the administrator's job.
        [ResourcesManage] = [ClinicRoles.Administrator],

        // The chair workflow; who may override a pre-dose check (physicians only) is the session domain's rule.
        [SessionsRead] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [SessionsWrite] = [ClinicRoles.Physician, ClinicRoles.Nurse],
    };

    public static bool Allows(string permission, IEnumerable<string> roles) =>
        RolesFor.TryGetValue(permission, out var allowed) && roles.Any(r => allowed.Contains(r, StringComparer.Ordinal));
}

/// <summary>Who is acting, as the audit log records it.</summary>
public sealed record Actor(string UserId, string UserName, IReadOnlyList<string> Roles, string? RemoteAddress)
{
    public bool Can(string permission) => Permissions.Allows(permission, Roles);

    public string RolesText => string.Join(',', Roles);

    public static Actor System(string purpose) => new("system", purpose, ["System"], null);

    public static Actor FromPrincipal(ClaimsPrincipal principal, string? remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? principal.FindFirstValue(ClaimTypes.Email) ?? id;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new Actor(id, name, roles, remoteAddress);
    }
}
