using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Patients;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Patients;

/// <summary>
/// Use cases of the patient registry. Each one checks the actor's permission, validates, and writes its
/// change and its audit entry in one transaction. The API and the Blazor pages both call these.
/// </summary>
public sealed class PatientRegistry(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings settings)
{
    public const string RecordType = "patient";
    private const int MaxMrnAttempts = 20;

    private DateOnly Today => settings.Today(clock);

    public async Task<Result<IReadOnlyList<PatientSummary>>> SearchAsync(PatientSearchQuery query, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PatientsRead))
        {
            return Result<IReadOnlyList<PatientSummary>>.Forbidden();
        }
        var v = new Validator();
        var text = v.Text("q", query.Q, 100, required: false);
        var mrn = v.Text("mrn", query.Mrn, 10, required: false);
        if (query.Take is < 1 or > 200)
        {
            v.Add("take", "must be between 1 and 200.");
        }
        if (text is null && mrn is null && query.Dob is null)
        {
            v.Add("q", "give a name, a date of birth or an MRN to search for.");
        }
        if (!v.IsValid)
        {
            return Result<IReadOnlyList<PatientSummary>>.Invalid(v.Errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var q = db.Patients.AsNoTracking();
        if (mrn is not null)
        {
            var m = Mrn.Normalize(mrn);
            q = q.Where(p => p.Mrn.StartsWith(m));
        }
        if (query.Dob is { } dob)
        {
            q = q.Where(p => p.DateOfBirth == dob);
        }
        if (text is not null)
        {
            var upper = text.ToUpperInvariant();
            if (upper.StartsWith(Mrn.Prefix, StringComparison.Ordinal) && upper.Length > 2 && upper[2..].All(char.IsAsciiDigit))
            {
                q = q.Where(p => p.Mrn.StartsWith(upper));
            }
            else
            {
                foreach (var token in upper.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
                {
                    q = q.Where(p => p.SearchName.Contains(token));
                }
            }
        }
        var found = await q.OrderBy(p => p.LegalFamilyName).ThenBy(p => p.LegalGivenName).ThenBy(p => p.Mrn).Take(query.Take).ToListAsync(ct);
        var summaries = found.Select(PatientMapping.ToSummary).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Search, RecordType, null, null,
            new { query = text, dob = query.Dob, mrn, results = summaries.Count, patientIds = summaries.Select(s => s.Id) }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<PatientSummary>>.Ok(summaries);
    }

    public async Task<Result<PatientRecord>> GetAsync(Guid id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PatientsRead))
        {
            return Result<PatientRecord>.Forbidden();
        }
        var clinical = actor.Can(Permissions.ClinicalRead);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await Load(db, id, clinical, tracking: false, ct);
        if (patient is null)
        {
            return Result<PatientRecord>.NotFound($"No patient with id {id}.");
        }
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, id.ToString(), id,
            new { parts = clinical ? "demographics,diagnoses,allergies,measurements" : "demographics" }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<PatientRecord>.Ok(PatientMapping.ToRecord(patient, Today, clinical));
    }

    public async Task<Result<PatientRecord>> RegisterAsync(PatientDetails details, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PatientsWrite))
        {
            return Result<PatientRecord>.Forbidden();
        }
        if (details is null)
        {
            return Result<PatientRecord>.Invalid("body", "is required.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var added = await AddPatientAsync(db, details, actor, null, ct);
        if (!added.IsOk)
        {
            return new Result<PatientRecord>(added.Status, null, added.Errors, added.Message);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<PatientRecord>.Ok(PatientMapping.ToRecord(added.Value!, Today, actor.Can(Permissions.ClinicalRead)));
    }

    /// <summary>
    /// Registers a patient inside the caller's audited transaction (validation, MRN, audit entry), so a registration can be
    /// one step of a larger change that is saved whole or not at all. The caller saves and commits.
    /// </summary>
    internal async Task<Result<Patient>> AddPatientAsync(ClinicDbContext db, PatientDetails details, Actor actor, object? auditDetails, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(actor);
        var (demographics, errors) = PatientRules.Validate(details, Today);
        if (demographics is null)
        {
            return Result<Patient>.Invalid(errors);
        }
        string? carriedMrn = null;
        if (!string.IsNullOrWhiteSpace(details.Mrn))
        {
            carriedMrn = Mrn.Normalize(details.Mrn);
            if (!Mrn.IsValid(carriedMrn))
            {
                return Result<Patient>.Invalid("mrn", "must be KC followed by eight digits with a valid check digit (or left empty to generate one).");
            }
        }
        if (carriedMrn is not null && await db.Patients.AnyAsync(p => p.Mrn == carriedMrn, ct))
        {
            return Result<Patient>.Invalid("mrn", $"{carriedMrn} already belongs to another patient.");
        }
        var mrn = carriedMrn ?? await NewMrnAsync(db, ct);
        var patient = Patient.Register(Guid.CreateVersion7(clock.GetUtcNow()), mrn, demographics, clock.GetUtcNow());
        db.Patients.Add(patient);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, patient.Id.ToString(), patient.Id, auditDetails ?? new { patient.Mrn }, ct);
        return Result<Patient>.Ok(patient);
    }

    public async Task<Result<PatientRecord>> UpdateAsync(Guid id, UpdatePatientRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PatientsWrite))
        {
            return Result<PatientRecord>.Forbidden();
        }
        if (request?.Details is null)
        {
            return Result<PatientRecord>.Invalid("details", "is required.");
        }
        var (demographics, errors) = PatientRules.Validate(request.Details, Today);
        if (demographics is null)
        {
            return Result<PatientRecord>.Invalid(errors);
        }
        return await ChangeAsync(id, actor, Permissions.PatientsWrite, "demographics", (patient, now) =>
        {
            if (!string.IsNullOrWhiteSpace(request.Details.Mrn) && Mrn.Normalize(request.Details.Mrn) != patient.Mrn)
            {
                throw new DomainValidationException([new FieldError("mrn", "cannot be changed after registration.")]);
            }
            var before = PatientMapping.ToDetails(patient);
            patient.UpdateDemographics(demographics, request.Version, now);
            return ChangedFields(before, PatientMapping.ToDetails(patient));
        }, ct);
    }

    public Task<Result<PatientRecord>> AddDiagnosisAsync(Guid id, AddDiagnosisRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(id, actor, Permissions.DiagnosesWrite, "diagnosis", (patient, now) =>
        {
            var d = patient.AddDiagnosis(Guid.CreateVersion7(now), request?.Code ?? string.Empty, request?.Description, request?.OnsetDate, Today, actor.UserId, now);
            return new { diagnosisId = d.Id, d.Code };
        }, ct);

    public Task<Result<PatientRecord>> ChangeDiagnosisStatusAsync(Guid id, Guid diagnosisId, ChangeStatusRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(id, actor, Permissions.DiagnosesWrite, "diagnosis", (patient, now) =>
        {
            var status = Parse<DiagnosisStatus>("status", request?.Status, required: true);
            return new { diagnosisId = patient.ChangeDiagnosisStatus(diagnosisId, status, now).Id, status = PatientMapping.Kebab(status.ToString()) };
        }, ct);

    public Task<Result<PatientRecord>> AddAllergyAsync(Guid id, AddAllergyRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(id, actor, Permissions.ClinicalWrite, "allergy", (patient, now) =>
        {
            var severity = Parse("severity", request?.Severity, required: false, fallback: AllergySeverity.Unknown);
            var a = patient.AddAllergy(Guid.CreateVersion7(now), request?.Substance ?? string.Empty, request?.Reaction, severity, actor.UserId, now);
            return new { allergyId = a.Id, a.Substance };
        }, ct);

    public Task<Result<PatientRecord>> ChangeAllergyStatusAsync(Guid id, Guid allergyId, ChangeStatusRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(id, actor, Permissions.ClinicalWrite, "allergy", (patient, now) =>
        {
            var status = Parse<AllergyStatus>("status", request?.Status, required: true);
            return new { allergyId = patient.ChangeAllergyStatus(allergyId, status, now).Id, status = PatientMapping.Kebab(status.ToString()) };
        }, ct);

    public Task<Result<PatientRecord>> RecordMeasurementAsync(Guid id, RecordMeasurementRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(id, actor, Permissions.ClinicalWrite, "measurement", (patient, now) =>
        {
            var kind = Parse<MeasurementKind>("kind", request?.Kind, required: true);
            if (request!.Value is not { } value)
            {
                throw new DomainValidationException([new FieldError("value", "is required.")]);
            }
            var measuredAt = request.MeasuredAt ?? now;
            var m = kind == MeasurementKind.Weight
                ? patient.RecordWeight(Guid.CreateVersion7(now), new WeightKg(value), measuredAt, settings.MeasurementLimits, actor.UserId, now)
                : patient.RecordHeight(Guid.CreateVersion7(now), new HeightCm(value), measuredAt, settings.MeasurementLimits, actor.UserId, now);
            return new { measurementId = m.Id, kind = PatientMapping.Kebab(kind.ToString()), m.Value };
        }, ct);

    /// <summary>An enum as the API spells it (kebab-case); an unknown value is a field error listing the allowed ones.</summary>
    private static TEnum Parse<TEnum>(string field, string? text, bool required, TEnum fallback = default)
        where TEnum : struct, Enum
    {
        if (!required && string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (PatientMapping.TryParseKebab<TEnum>(text, out var value))
        {
            return value;
        }
        var allowed = string.Join(", ", Enum.GetNames<TEnum>().Select(PatientMapping.Kebab));
        throw new DomainValidationException([new FieldError(field, $"must be one of {allowed}.")]);
    }

    /// <summary>Checks the permission, loads the patient for change, applies it, audits it, saves it: all or nothing.</summary>
    private async Task<Result<PatientRecord>> ChangeAsync(Guid id, Actor actor, string permission, string part, Func<Patient, DateTimeOffset, object> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(permission))
        {
            return Result<PatientRecord>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await Load(db, id, includeClinical: true, tracking: true, ct);
        if (patient is null)
        {
            return Result<PatientRecord>.NotFound($"No patient with id {id}.");
        }
        object details;
        try
        {
            details = change(patient, clock.GetUtcNow());
        }
        catch (DomainValidationException ex)
        {
            return Result<PatientRecord>.Invalid(ex.Errors);
        }
        catch (StaleVersionException ex)
        {
            return Result<PatientRecord>.Conflict(ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return Result<PatientRecord>.NotFound(ex.Message);
        }
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, id.ToString(), id, new { part, change = details }, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<PatientRecord>.Conflict("The record was changed by someone else meanwhile. Reload and apply the change again.");
        }
        await tx.CommitAsync(ct);
        return Result<PatientRecord>.Ok(PatientMapping.ToRecord(patient, Today, actor.Can(Permissions.ClinicalRead)));
    }

    private static async Task<Patient?> Load(ClinicDbContext db, Guid id, bool includeClinical, bool tracking, CancellationToken ct)
    {
        IQueryable<Patient> q = db.Patients;
        if (!tracking)
        {
            q = q.AsNoTracking();
        }
        if (includeClinical)
        {
            q = q.Include(p => p.Diagnoses).Include(p => p.Allergies).Include(p => p.Measurements).AsSplitQuery();
        }
        return await q.SingleOrDefaultAsync(p => p.Id == id, ct);
    }

    private static async Task<string> NewMrnAsync(ClinicDbContext db, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxMrnAttempts; attempt++)
        {
            var candidate = Mrn.Random(Random.Shared);
            if (!await db.Patients.AnyAsync(p => p.Mrn == candidate, ct))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("Could not find a free MRN; the MRN space is nearly full.");
    }

    /// <summary>Names of the fields an edit changed: the audit entry says what changed without copying the values.</summary>
    private static object ChangedFields(PatientDetails before, PatientDetails after) =>
        new
        {
            fields = typeof(PatientDetails).GetProperties()
                .Where(p => !Equals(p.GetValue(before), p.GetValue(after)))
                .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
                .ToList(),
        };
}
