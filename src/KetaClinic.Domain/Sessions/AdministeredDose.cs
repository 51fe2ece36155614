using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>The drug product given: which stocked product and which lot.</summary>
public sealed record DrugProduct(Guid ProductId, string Name, string Lot);

/// <summary>
/// The seam to the controlled-substance ledger: one administration as the ledger records it (21 CFR 1304.22(c),
/// REFERENCE.md §8): which session, patient and dosing record, which product and lot, how much, who gave it and when.
/// <see cref="At"/> is when the administration ended, when the amount is final.
/// </summary>
public sealed record AdministeredDose(
    Guid SessionId,
    Guid PatientId,
    Guid DosingRecordId,
    Guid ProductId,
    string ProductName,
    string Lot,
    DoseMg Amount,
    SessionActor AdministeredBy,
    DateTimeOffset At);
