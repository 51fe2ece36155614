namespace KetaClinic.App.Security;

/// <summary>
/// Permissions of the controlled-substance ledger. Which roles hold them is a clinic setting
/// (ControlledSubstances:Roles:&lt;Name&gt; = "Physician,Nurse"); these are the defaults. They are not in
/// <see cref="Permissions.RolesFor"/>, so <see cref="Actor.Can"/> never grants them: ask <see cref="PermissionGrants"/>.
/// </summary>
public static class LedgerPermissions
{
    public const string Receive = "ledger.receive";
    public const string Draw = "ledger.draw";
    public const string Witness = "ledger.witness";
    public const string Count = "ledger.count";
    public const string Dispose = "ledger.dispose";
    public const string ReportLoss = "ledger.loss";
    public const string Correct = "ledger.correct";
    public const string Resolve = "ledger.resolve";
    public const string ViewReports = "ledger.reports";
    public const string Manage = "ledger.manage";

    public const string Section = "ControlledSubstances:Roles";

    /// <summary>Setting name (under <see cref="Section"/>) → permission.</summary>
    public static readonly IReadOnlyDictionary<string, string> SettingNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Receive"] = Receive,
        ["Draw"] = Draw,
        ["Witness"] = Witness,
        ["Count"] = Count,
        ["Dispose"] = Dispose,
        ["ReportLoss"] = ReportLoss,
        ["Correct"] = Correct,
        ["Resolve"] = Resolve,
        ["ViewReports"] = ViewReports,
        ["Manage"] = Manage,
    };

    /// <summary>
    /// Safe defaults: only clinical staff handle stock; the registrant (a physician) disposes of it and corrects
    /// entries; the administrator sets up registrations and products and sees reports and alerts, but never
    /// handles, draws or witnesses.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Defaults = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Receive] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [Draw] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [Witness] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [Count] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [Dispose] = [ClinicRoles.Physician],
        [ReportLoss] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse],
        [Correct] = [ClinicRoles.Physician],
        [Resolve] = [ClinicRoles.Administrator, ClinicRoles.Physician],
        [ViewReports] = [ClinicRoles.Administrator, ClinicRoles.Physician, ClinicRoles.Nurse],
        [Manage] = [ClinicRoles.Administrator],
    };
}

/// <summary>
/// Every permission with the roles that hold it in this clinic: the fixed table of <see cref="Permissions"/> plus
/// the ledger's, which the clinic may set. Endpoint policies, pages and handlers all read this one object.
/// </summary>
public sealed class PermissionGrants
{
    private readonly Dictionary<string, string[]> _roles;

    public PermissionGrants(IReadOnlyDictionary<string, string[]>? ledgerOverrides = null)
    {
        _roles = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (permission, roles) in Permissions.RolesFor)
        {
            _roles[permission] = roles;
        }
        foreach (var (permission, roles) in LedgerPermissions.Defaults)
        {
            _roles[permission] = ledgerOverrides is not null && ledgerOverrides.TryGetValue(permission, out var set) ? set : roles;
        }
    }

    public IReadOnlyDictionary<string, string[]> All => _roles;

    /// <summary>
    /// Reads ControlledSubstances:Roles. An unknown setting or role stops the start with a message, so a typo never
    /// silently opens or closes the controlled-substance cabinet.
    /// </summary>
    public static PermissionGrants From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var overrides = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(LedgerPermissions.Section).GetChildren())
        {
            if (!LedgerPermissions.SettingNames.TryGetValue(child.Key, out var permission))
            {
                throw new InvalidOperationException(
                    $"{LedgerPermissions.Section}:{child.Key} is not a ledger permission; use one of {string.Join(", ", LedgerPermissions.SettingNames.Keys)}.");
            }
            var values = child.Value is not null
                ? child.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : child.GetChildren().Select(c => c.Value ?? string.Empty).Where(v => v.Length > 0).ToArray();
            var unknown = values.Where(v => !ClinicRoles.All.Contains(v, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{LedgerPermissions.Section}:{child.Key} names unknown roles ({string.Join(", ", unknown)}); roles are {string.Join(", ", ClinicRoles.All)}.");
            }
            overrides[permission] = [.. values.Distinct(StringComparer.Ordinal)];
        }
        return new PermissionGrants(overrides);
    }

    public IReadOnlyList<string> RolesFor(string permission) => _roles.TryGetValue(permission, out var roles) ? roles : [];

    public bool Allows(string permission, IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return _roles.TryGetValue(permission, out var allowed) && roles.Any(r => allowed.Contains(r, StringComparer.Ordinal));
    }

    public bool Allows(Actor actor, string permission)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Allows(permission, actor.Roles);
    }

    public IEnumerable<string> PermissionsOf(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _roles.Keys.Where(p => Allows(actor, p)).Order(StringComparer.Ordinal);
    }
}
