using System.Text.Json.Serialization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.ControlledSubstances;

[JsonConverter(typeof(JsonStringEnumConverter<DeaSchedule>))]
public enum DeaSchedule
{
    II,
    IIN,
    III,
    IIIN,
    IV,
    V,
}

public enum RegistrationStatus
{
    Current,
    ExpiringSoon,
    Expired,
    NotYetValid,
}

/// <summary>Where a registration stands on a day, with the days left before it lapses.</summary>
public sealed record RegistrationStanding(RegistrationStatus Status, int DaysUntilExpiry);

/// <summary>A clinic location's DEA registration: number, schedules it may handle, and when it lapses.</summary>
public sealed record DeaRegistration
{
    private DeaRegistration(string number, Guid clinicLocationId, string registrantName, IReadOnlySet<DeaSchedule> schedules, DateOnly validFrom, DateOnly expiresOn)
    {
        Number = number;
        ClinicLocationId = clinicLocationId;
        RegistrantName = registrantName;
        Schedules = schedules;
        ValidFrom = validFrom;
        ExpiresOn = expiresOn;
    }

    public string Number { get; }
    public Guid ClinicLocationId { get; }
    public string RegistrantName { get; }
    public IReadOnlySet<DeaSchedule> Schedules { get; }
    public DateOnly ValidFrom { get; }

    /// <summary>The last day on which the registration is valid.</summary>
    public DateOnly ExpiresOn { get; }

    public static DeaRegistration Create(string number, Guid clinicLocationId, string registrantName, IEnumerable<DeaSchedule> schedules, DateOnly validFrom, DateOnly expiresOn)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        var v = new Validator();
        if (!DeaNumber.IsValid(number))
        {
            v.Add("number", DeaNumber.Rule);
        }
        if (clinicLocationId == Guid.Empty)
        {
            v.Add("clinicLocationId", "is required.");
        }
        var name = v.Text("registrantName", registrantName, 200, required: true);
        var set = schedules.ToHashSet();
        if (set.Count == 0)
        {
            v.Add("schedules", "must list at least one schedule.");
        }
        if (expiresOn < validFrom)
        {
            v.Add("expiresOn", "must not be before the date the registration starts.");
        }
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
        return new DeaRegistration(DeaNumber.Normalize(number), clinicLocationId, name!, set, validFrom, expiresOn);
    }

    public bool Covers(DeaSchedule schedule) => Schedules.Contains(schedule);

    public bool IsValidOn(DateOnly day) => day >= ValidFrom && day <= ExpiresOn;

    public RegistrationStanding StandingOn(DateOnly day, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var daysLeft = ExpiresOn.DayNumber - day.DayNumber;
        var status = day < ValidFrom ? RegistrationStatus.NotYetValid
            : daysLeft < 0 ? RegistrationStatus.Expired
            : daysLeft <= settings.RegistrationExpiryWarningDays.Value ? RegistrationStatus.ExpiringSoon
            : RegistrationStatus.Current;
        return new RegistrationStanding(status, daysLeft);
    }
}

public enum StorageKind
{
    LockedCabinet,
    Safe,
}

/// <summary>A locked cabinet or safe at one clinic location; stock lives in exactly one at a time.</summary>
public sealed record StorageLocation
{
    private StorageLocation(Guid id, Guid clinicLocationId, string name, StorageKind kind)
    {
        Id = id;
        ClinicLocationId = clinicLocationId;
        Name = name;
        Kind = kind;
    }

    public Guid Id { get; }
    public Guid ClinicLocationId { get; }
    public string Name { get; }
    public StorageKind Kind { get; }

    public static StorageLocation Create(Guid id, Guid clinicLocationId, string name, StorageKind kind)
    {
        var v = new Validator();
        if (id == Guid.Empty)
        {
            v.Add("id", "is required.");
        }
        if (clinicLocationId == Guid.Empty)
        {
            v.Add("clinicLocationId", "is required.");
        }
        var text = v.Text("name", name, 100, required: true);
        if (!Enum.IsDefined(kind))
        {
            v.Add("kind", "must be a locked cabinet or a safe.");
        }
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
        return new StorageLocation(id, clinicLocationId, text!, kind);
    }
}

/// <summary>A supplier as a receipt or a return names it (21 CFR 1304.22(c): name, address and DEA number).</summary>
public sealed record Supplier(string Name, string Address, string DeaNumber)
{
    internal Supplier Validated(Validator v, string field)
    {
        var name = v.Text($"{field}.name", Name, 200, required: true);
        var address = v.Text($"{field}.address", Address, 400, required: true);
        if (!ControlledSubstances.DeaNumber.IsValid(DeaNumber))
        {
            v.Add($"{field}.deaNumber", ControlledSubstances.DeaNumber.Rule);
        }
        return new Supplier(name ?? string.Empty, address ?? string.Empty, ControlledSubstances.DeaNumber.Normalize(DeaNumber));
    }
}
