namespace KetaClinic.App.Data;

/// <summary>A clinic location's DEA registration. Never edited: a renewal is a new row.</summary>
public sealed class DeaRegistrationRow
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public string Number { get; set; } = string.Empty;
    public string RegistrantName { get; set; } = string.Empty;

    /// <summary>The registrant's login, who sees the ledger's alerts with the administrators.</summary>
    public string? RegistrantUserId { get; set; }

    /// <summary>Schedules the registration covers, comma-separated (e.g. "II,IIN,III,IIIN,IV,V").</summary>
    public string Schedules { get; set; } = string.Empty;
    public DateOnly ValidFrom { get; set; }
    public DateOnly ExpiresOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
}

/// <summary>A locked cabinet or safe at a clinic location.</summary>
public sealed class StorageLocationRow
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public string Name { get; set; } = string.Empty;

    /// <summary>LockedCabinet or Safe.</summary>
    public string Kind { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
}

/// <summary>
/// A stocked product. Never edited once created, because every ledger entry's mass depends on it; quantities
/// are whole micrograms and microlitres.
/// </summary>
public sealed class ControlledProductRow
{
    public Guid Id { get; set; }

    /// <summary>KetamineHydrochloride or EsketamineHydrochloride.</summary>
    public string Drug { get; set; } = string.Empty;

    /// <summary>Vial or NasalDevice.</summary>
    public string Form { get; set; } = string.Empty;
    public string Ndc { get; set; } = string.Empty;
    public string DeaDrugCode { get; set; } = string.Empty;
    public long? ConcentrationMcgPerMl { get; set; }
    public long? VolumePerContainerUl { get; set; }
    public long? MassPerDeviceMcg { get; set; }
    public int? DevicesPerContainer { get; set; }
    public long MassPerContainerMcg { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
}

/// <summary>One stored ledger entry. Append-only: triggers refuse UPDATE and DELETE in the database.</summary>
public sealed class LedgerEntryRow
{
    public long Sequence { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedBy { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;

    /// <summary>The event as JSON (LedgerJson); the hash covers its canonical text, not this text.</summary>
    public string Payload { get; set; } = string.Empty;
    public string PreviousHash { get; set; } = string.Empty;
    public string Hash { get; set; } = string.Empty;
}

/// <summary>The single row holding the end of the ledger's chain; updating it first serialises ledger writers.</summary>
public sealed class LedgerChainHead
{
    public int Id { get; set; }
    public long LastSequence { get; set; }
    public string LastHash { get; set; } = string.Empty;
}

/// <summary>A ledger alert (e.g. a registration about to expire) acknowledged with a reason; append-only.</summary>
public sealed class LedgerAlertAcknowledgement
{
    public Guid Id { get; set; }

    /// <summary>Which alert, e.g. "registration:{id}:ExpiringSoon".</summary>
    public string AlertKey { get; set; } = string.Empty;
    public DateTimeOffset AcknowledgedAt { get; set; }
    public string AcknowledgedBy { get; set; } = string.Empty;
    public string AcknowledgedByName { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
}
