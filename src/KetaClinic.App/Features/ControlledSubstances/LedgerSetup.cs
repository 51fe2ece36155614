using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>
/// The ledger's reference data: DEA registrations, locked storage places and products. Each is written once and
/// never edited (the ledger's entries depend on them); a renewed registration or a new strength is a new row.
/// </summary>
public sealed class LedgerSetup(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings clinic, LedgerRules rules, PermissionGrants grants)
{
    public const string RegistrationRecord = "dea-registration";
    public const string StorageRecord = "storage-location";
    public const string ProductRecord = "controlled-product";

    public async Task<Result<RegistrationView>> AddRegistrationAsync(RegistrationRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Manage))
        {
            return Result<RegistrationView>.Forbidden();
        }
        if (request is null)
        {
            return Result<RegistrationView>.Invalid("body", "is required.");
        }
        var v = new Validator();
        var schedules = new List<DeaSchedule>();
        foreach (var s in request.Schedules ?? [])
        {
            if (LedgerInput.Enum<DeaSchedule>(v, "schedules", s) is { } schedule)
            {
                schedules.Add(schedule);
            }
        }
        if (request.ValidFrom is null)
        {
            v.Add("validFrom", "is required.");
        }
        if (request.ExpiresOn is null)
        {
            v.Add("expiresOn", "is required.");
        }
        if (!v.IsValid)
        {
            return Result<RegistrationView>.Invalid(v.Errors);
        }
        DeaRegistration registration;
        try
        {
            registration = DeaRegistration.Create(request.Number ?? string.Empty, request.LocationId, request.RegistrantName ?? string.Empty, schedules, request.ValidFrom!.Value, request.ExpiresOn!.Value);
        }
        catch (DomainValidationException ex)
        {
            return Result<RegistrationView>.Invalid(ex.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Locations.AnyAsync(l => l.Id == request.LocationId, ct))
        {
            return Result<RegistrationView>.Invalid("locationId", "is not a location of this clinic.");
        }
        var registrant = string.IsNullOrWhiteSpace(request.RegistrantUserId) ? null : request.RegistrantUserId.Trim();
        if (registrant is not null && !await db.Users.AnyAsync(u => u.Id == registrant, ct))
        {
            return Result<RegistrationView>.Invalid("registrantUserId", "is not a user of this clinic.");
        }
        if (await db.DeaRegistrations.AnyAsync(r => r.Number == registration.Number && r.ExpiresOn == registration.ExpiresOn, ct))
        {
            return Result<RegistrationView>.Conflict($"Registration {registration.Number} expiring {registration.ExpiresOn:yyyy-MM-dd} is already on file.");
        }
        var row = new DeaRegistrationRow
        {
            Id = Guid.NewGuid(),
            LocationId = request.LocationId,
            Number = registration.Number,
            RegistrantName = registration.RegistrantName,
            RegistrantUserId = registrant,
            Schedules = string.Join(',', registration.Schedules.Order()),
            ValidFrom = registration.ValidFrom,
            ExpiresOn = registration.ExpiresOn,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor.UserId,
        };
        db.DeaRegistrations.Add(row);
        await audit.RecordAsync(db, actor, AuditActions.Create, RegistrationRecord, row.Id.ToString(), null, new { row.Number, row.Schedules, row.ValidFrom, row.ExpiresOn, row.RegistrantUserId }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        return Result<RegistrationView>.Ok(reference.View(row, clinic.Today(clock), rules.Settings));
    }

    public async Task<Result<StorageView>> AddStorageAsync(StorageLocationRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Manage))
        {
            return Result<StorageView>.Forbidden();
        }
        if (request is null)
        {
            return Result<StorageView>.Invalid("body", "is required.");
        }
        var v = new Validator();
        var kind = LedgerInput.Enum<StorageKind>(v, "kind", request.Kind);
        if (!v.IsValid)
        {
            return Result<StorageView>.Invalid(v.Errors);
        }
        StorageLocation storage;
        try
        {
            storage = StorageLocation.Create(Guid.NewGuid(), request.LocationId, request.Name ?? string.Empty, kind!.Value);
        }
        catch (DomainValidationException ex)
        {
            return Result<StorageView>.Invalid(ex.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Locations.AnyAsync(l => l.Id == request.LocationId, ct))
        {
            return Result<StorageView>.Invalid("locationId", "is not a location of this clinic.");
        }
        if (await db.StorageLocations.AnyAsync(s => s.LocationId == storage.ClinicLocationId && s.Name == storage.Name, ct))
        {
            return Result<StorageView>.Invalid("name", $"'{storage.Name}' is already a storage place at this location.");
        }
        var row = new StorageLocationRow
        {
            Id = storage.Id,
            LocationId = storage.ClinicLocationId,
            Name = storage.Name,
            Kind = storage.Kind.ToString(),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor.UserId,
        };
        db.StorageLocations.Add(row);
        await audit.RecordAsync(db, actor, AuditActions.Create, StorageRecord, row.Id.ToString(), null, new { row.Name, row.Kind, row.LocationId }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var reference = await LedgerReferenceData.LoadAsync(db, ct);
        return Result<StorageView>.Ok(reference.View(row));
    }

    public async Task<Result<ProductView>> AddProductAsync(ProductRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!grants.Allows(actor, LedgerPermissions.Manage))
        {
            return Result<ProductView>.Forbidden();
        }
        if (request is null)
        {
            return Result<ProductView>.Invalid("body", "is required.");
        }
        var v = new Validator();
        var drug = LedgerInput.Enum<ControlledDrug>(v, "drug", request.Drug);
        var form = LedgerInput.Enum<FinishedForm>(v, "form", request.Form);
        ConcentrationMcgPerMl concentration = default;
        VolumeUl volume = default;
        MassMcg perDevice = default;
        if (form == FinishedForm.Vial)
        {
            if (request.ConcentrationMgPerMl is not { } mgPerMl || mgPerMl <= 0 || mgPerMl != decimal.Truncate(mgPerMl) || mgPerMl > 1000)
            {
                v.Add("concentrationMgPerMl", "is required: a whole number of mg/mL, such as 50 or 100.");
            }
            else
            {
                concentration = ConcentrationMcgPerMl.FromMilligramsPerMillilitre(mgPerMl);
            }
            if (request.VolumeMl is not { } ml || !VolumeUl.TryFromMillilitres(ml, out volume) || volume.Microlitres <= 0)
            {
                v.Add("volumeMl", "is required: the volume of one vial in mL, such as 10.");
            }
        }
        else if (form == FinishedForm.NasalDevice)
        {
            if (request.MassPerDeviceMg is not { } mg || !MassMcg.TryFromMilligrams(mg, out perDevice) || perDevice.Micrograms <= 0)
            {
                v.Add("massPerDeviceMg", "is required: the drug in one device in mg, such as 28.");
            }
            if (request.DevicesPerContainer is null)
            {
                v.Add("devicesPerContainer", "is required: devices in one kit.");
            }
        }
        if (!v.IsValid)
        {
            return Result<ProductView>.Invalid(v.Errors);
        }
        Product product;
        try
        {
            product = form == FinishedForm.Vial
                ? Product.Vial(Guid.NewGuid(), drug!.Value, request.Ndc ?? string.Empty, concentration, volume, string.IsNullOrWhiteSpace(request.DeaDrugCode) ? null : request.DeaDrugCode)
                : Product.NasalDevice(Guid.NewGuid(), drug!.Value, request.Ndc ?? string.Empty, perDevice, request.DevicesPerContainer!.Value, string.IsNullOrWhiteSpace(request.DeaDrugCode) ? null : request.DeaDrugCode);
        }
        catch (DomainValidationException ex)
        {
            return Result<ProductView>.Invalid(ex.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var existing = await db.ControlledProducts.AsNoTracking().ToListAsync(ct);
        if (existing.Any(p => Ndc.TryParse(p.Ndc, out var other) && other!.Equals(product.Ndc)))
        {
            return Result<ProductView>.Invalid("ndc", $"NDC {product.Ndc} is already a product of this clinic.");
        }
        var row = LedgerReferenceData.ToRow(product, clock.GetUtcNow(), actor.UserId);
        db.ControlledProducts.Add(row);
        await audit.RecordAsync(db, actor, AuditActions.Create, ProductRecord, row.Id.ToString(), null, new { row.Drug, row.Form, row.Ndc, row.DeaDrugCode, row.MassPerContainerMcg }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ProductView>.Ok(LedgerReferenceData.View(product));
    }
}
