using Microsoft.AspNetCore.Identity;

namespace KetaClinic.App.Data;

/// <summary>A staff member's account. Patients get their own accounts with the patient portal.</summary>
public sealed class ClinicUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Location
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string? AddressLine1 { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Phone { get; set; }

    /// <summary>IANA time zone of the clinic, used to turn instants into the clinic's days.</summary>
    public string TimeZone { get; set; } = "America/New_York";
    public List<Chair> Chairs { get; set; } = [];
}

public sealed class Chair
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public string Name { get; set; } = string.Empty;
    public bool HasInfusionPump { get; set; }
    public bool HasMonitor { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>One stored audit entry. Never updated or deleted: triggers refuse it in the database too.</summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string UserId { get; set; } = string.Empty;
    public string UserName { get; set; } = string.Empty;
    public string Roles { get; set; } = string.Empty;
    public string Action { get; set; } = string.Empty;
    public string RecordType { get; set; } = string.Empty;
    public string? RecordId { get; set; }
    public Guid? PatientId { get; set; }
    public string? RemoteAddress { get; set; }
    public string? Details { get; set; }
    public string PreviousHash { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
}

/// <summary>The single row that holds the end of the audit chain; updating it first serialises writers.</summary>
public sealed class AuditChainHead
{
    public int Id { get; set; }
    public long LastSequence { get; set; }
    public string LastHash { get; set; } = string.Empty;
}
