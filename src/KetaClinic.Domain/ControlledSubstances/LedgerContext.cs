namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>The clinic's products, storage places and registrations, as the ledger looks them up.</summary>
public sealed class LedgerReference
{
    private readonly Dictionary<Guid, Product> _products;
    private readonly Dictionary<Guid, StorageLocation> _storage;
    private readonly List<DeaRegistration> _registrations;

    public LedgerReference(IEnumerable<Product> products, IEnumerable<StorageLocation> storageLocations, IEnumerable<DeaRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(storageLocations);
        ArgumentNullException.ThrowIfNull(registrations);
        _products = [];
        foreach (var p in products)
        {
            if (!_products.TryAdd(p.Id, p))
            {
                throw new ArgumentException($"Product {p.Id} is listed twice.", nameof(products));
            }
        }
        _storage = [];
        foreach (var s in storageLocations)
        {
            if (!_storage.TryAdd(s.Id, s))
            {
                throw new ArgumentException($"Storage location {s.Id} is listed twice.", nameof(storageLocations));
            }
        }
        _registrations = [.. registrations];
    }

    public IReadOnlyCollection<Product> Products => _products.Values;
    public IReadOnlyCollection<StorageLocation> StorageLocations => _storage.Values;
    public IReadOnlyList<DeaRegistration> Registrations => _registrations;

    public Product? Product(Guid id) => _products.GetValueOrDefault(id);

    public StorageLocation? Storage(Guid id) => _storage.GetValueOrDefault(id);

    /// <summary>The registration of a clinic location that is valid on a day and covers a schedule, if any.</summary>
    public DeaRegistration? RegistrationFor(Guid clinicLocationId, DeaSchedule schedule, DateOnly day) =>
        _registrations
            .Where(r => r.ClinicLocationId == clinicLocationId && r.Covers(schedule) && r.IsValidOn(day))
            .MaxBy(r => r.ExpiresOn);
}

/// <summary>
/// What a decision needs besides the ledger and the command: the moment (already read from the clock), the
/// clinic's date at that moment, the signed-in user who records the entry, reference data and settings.
/// </summary>
public sealed record LedgerContext(DateTimeOffset Now, DateOnly Today, string RecordedBy, LedgerReference Reference, LedgerSettings Settings);
