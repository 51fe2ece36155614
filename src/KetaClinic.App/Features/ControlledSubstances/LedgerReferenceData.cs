using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>The clinic's registrations, storage places and products as stored, and as the domain sees them.</summary>
public sealed class LedgerReferenceData
{
    private LedgerReferenceData(
        IReadOnlyList<DeaRegistrationRow> registrations, IReadOnlyList<StorageLocationRow> storage, IReadOnlyList<ControlledProductRow> products,
        IReadOnlyDictionary<Guid, string> locationNames)
    {
        RegistrationRows = registrations;
        StorageRows = storage;
        ProductRows = products;
        LocationNames = locationNames;
        Registrations = registrations.ToDictionary(r => r.Id, ToDomain);
        Reference = new LedgerReference(products.Select(ToDomain), storage.Select(ToDomain), Registrations.Values);
    }

    public IReadOnlyList<DeaRegistrationRow> RegistrationRows { get; }
    public IReadOnlyList<StorageLocationRow> StorageRows { get; }
    public IReadOnlyList<ControlledProductRow> ProductRows { get; }
    public IReadOnlyDictionary<Guid, string> LocationNames { get; }
    public IReadOnlyDictionary<Guid, DeaRegistration> Registrations { get; }
    public LedgerReference Reference { get; }

    public static async Task<LedgerReferenceData> LoadAsync(ClinicDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var registrations = await db.DeaRegistrations.AsNoTracking().ToListAsync(ct);
        var storage = await db.StorageLocations.AsNoTracking().ToListAsync(ct);
        var products = await db.ControlledProducts.AsNoTracking().ToListAsync(ct);
        var locations = await db.Locations.AsNoTracking().ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        return new LedgerReferenceData(
            [.. registrations.OrderBy(r => r.ExpiresOn).ThenBy(r => r.Number, StringComparer.Ordinal)],
            [.. storage.OrderBy(s => s.Name, StringComparer.Ordinal)],
            [.. products.OrderBy(p => p.Drug, StringComparer.Ordinal).ThenBy(p => p.MassPerContainerMcg)],
            locations);
    }

    public string ProductName(Guid id) => Reference.Product(id)?.Description ?? $"product {id}";

    public string StorageName(Guid id) => Reference.Storage(id)?.Name ?? $"storage {id}";

    public string Describe(Guid productId, MassMcg mass) => Reference.Product(productId)?.Describe(mass) ?? mass.ToString();

    public static IReadOnlyList<DeaSchedule> ParseSchedules(string text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<DeaSchedule>)];

    public static DeaRegistration ToDomain(DeaRegistrationRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return DeaRegistration.Create(r.Number, r.LocationId, r.RegistrantName, ParseSchedules(r.Schedules), r.ValidFrom, r.ExpiresOn);
    }

    public static StorageLocation ToDomain(StorageLocationRow s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return StorageLocation.Create(s.Id, s.LocationId, s.Name, Enum.Parse<StorageKind>(s.Kind));
    }

    public static Product ToDomain(ControlledProductRow p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var drug = Enum.Parse<ControlledDrug>(p.Drug);
        return Enum.Parse<FinishedForm>(p.Form) == FinishedForm.Vial
            ? Product.Vial(p.Id, drug, p.Ndc, new ConcentrationMcgPerMl(p.ConcentrationMcgPerMl ?? 0), new VolumeUl(p.VolumePerContainerUl ?? 0), p.DeaDrugCode)
            : Product.NasalDevice(p.Id, drug, p.Ndc, new MassMcg(p.MassPerDeviceMcg ?? 0), p.DevicesPerContainer ?? 0, p.DeaDrugCode);
    }

    public static ControlledProductRow ToRow(Product p, DateTimeOffset createdAt, string createdBy)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ControlledProductRow
        {
            Id = p.Id,
            Drug = p.Drug.ToString(),
            Form = p.Form.ToString(),
            Ndc = p.Ndc.Text,
            DeaDrugCode = p.DeaDrugCode,
            ConcentrationMcgPerMl = p.Concentration?.MicrogramsPerMillilitre,
            VolumePerContainerUl = p.VolumePerContainer?.Microlitres,
            MassPerDeviceMcg = p.MassPerDevice?.Micrograms,
            DevicesPerContainer = p.DevicesPerContainer,
            MassPerContainerMcg = p.MassPerContainer.Micrograms,
            CreatedAt = createdAt,
            CreatedBy = createdBy,
        };
    }

    public ProductView View(ControlledProductRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var p = Reference.Product(row.Id)!;
        return View(p);
    }

    public static ProductView View(Product p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Drug.ToString(), p.DrugName, p.Form.ToString(), p.Ndc.Text, p.DeaDrugCode, p.Schedule.ToString(), p.Description,
            p.MassPerContainer.Micrograms, p.Concentration?.MilligramsPerMillilitre, p.VolumePerContainer?.Millilitres, p.MassPerDevice?.Milligrams,
            p.DevicesPerContainer, p.Form == FinishedForm.Vial ? "mL" : "devices");
    }

    public RegistrationView View(DeaRegistrationRow row, DateOnly today, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(row);
        var standing = Registrations[row.Id].StandingOn(today, settings);
        return new(row.Id, row.LocationId, LocationNames.GetValueOrDefault(row.LocationId, row.LocationId.ToString()), row.Number, row.RegistrantName,
            row.RegistrantUserId, [.. ParseSchedules(row.Schedules).Select(s => s.ToString())], row.ValidFrom, row.ExpiresOn,
            standing.Status.ToString(), standing.DaysUntilExpiry);
    }

    public StorageView View(StorageLocationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Id, row.LocationId, LocationNames.GetValueOrDefault(row.LocationId, row.LocationId.ToString()), row.Name, row.Kind);
    }

    public ReferenceView View(DateOnly today, LedgerSettings settings) =>
        new([.. RegistrationRows.Select(r => View(r, today, settings))], [.. StorageRows.Select(View)], [.. ProductRows.Select(View)]);

    internal static string Mg(MassMcg mass) => mass.Milligrams.ToString("0.###", CultureInfo.InvariantCulture) + " mg";
}
