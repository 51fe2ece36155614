using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Protocols;

public enum AdministrationRoute
{
    Intravenous,
    Intramuscular,
    Oral,
    Sublingual,
    Intranasal,
}

/// <summary>
/// Dose limits of a protocol, in the protocol's <see cref="DoseBasis"/>. An order must lie within
/// <see cref="Minimum"/>..<see cref="Maximum"/> and never above <see cref="HardMaximum"/>; a calculated dose is
/// also stopped above <see cref="AbsoluteMaximum"/> whatever the weight.
/// </summary>
public sealed record ProtocolDose(
    SourcedSetting<DoseAmount> Default,
    SourcedSetting<DoseAmount> Minimum,
    SourcedSetting<DoseAmount> Maximum,
    SourcedSetting<DoseAmount> HardMaximum,
    SourcedSetting<DoseAmount> TitrationStep,
    SourcedSetting<DoseMg> AbsoluteMaximum);

/// <summary>Single-use dosing devices (intranasal esketamine, REFERENCE.md §5).</summary>
public sealed record DeviceRules(
    SourcedSetting<DoseMg> MgPerDevice,
    SourcedSetting<IReadOnlyList<DoseMg>> AllowedDoses,
    SourcedSetting<DoseMg> FirstSessionDose,
    SourcedSetting<int> MinutesBetweenDevices)
{
    /// <summary>Whole devices for an allowed dose (56 mg → 2); null when the dose is not one of the allowed doses.</summary>
    public int? DeviceCount(DoseMg dose) =>
        AllowedDoses.Value.Contains(dose) && dose.Value % MgPerDevice.Value.Value == 0m
            ? (int)(dose.Value / MgPerDevice.Value.Value)
            : null;
}

/// <summary>
/// Session timing in minutes. Chair time covers check-in, pre-dose checks and dosing; recovery is the observation
/// after the dose, still in the chair. The appointment books both.
/// </summary>
public sealed record ProtocolTiming(
    SourcedSetting<int> AdministrationMinutes,
    SourcedSetting<int> ChairMinutes,
    SourcedSetting<int> RecoveryMinutes,
    SourcedSetting<int> MinimumMonitoringMinutes,
    SourcedSetting<int> VitalsIntervalMinutes)
{
    public int AppointmentMinutes => ChairMinutes.Value + RecoveryMinutes.Value;
}

/// <summary>Fasting before a session, in minutes before the dose.</summary>
public sealed record FastingRules(SourcedSetting<int> NoFoodMinutes, SourcedSetting<int> NoDrinkMinutes);

/// <summary>A phase of a protocol: a fixed series of sessions, or open-ended maintenance.</summary>
public abstract record TreatmentPhase(string Id, string Name);

/// <summary>A series of sessions (induction, or esketamine's weekly weeks 5–8) booked as a whole.</summary>
public sealed record SeriesPhase(
    string Id,
    string Name,
    SourcedSetting<int> Sessions,
    SourcedSetting<int> SpacingMinDays,
    SourcedSetting<int> SpacingMaxDays,
    SourcedSetting<int> MaxSessionsPer7Days,
    SourcedSetting<int> WindowDays)
    : TreatmentPhase(Id, Name)
{
    public SeriesRules Rules => new(Sessions.Value, SpacingMinDays.Value, SpacingMaxDays.Value, MaxSessionsPer7Days.Value, WindowDays.Value);
}

/// <summary>Maintenance: sessions at an interval chosen from a ladder (shortest first) by response.</summary>
public sealed record MaintenancePhase(string Id, string Name, SourcedSetting<IReadOnlyList<int>> IntervalsDays)
    : TreatmentPhase(Id, Name);

/// <summary>
/// A treatment protocol as the clinic configured it. Only <see cref="ProtocolLoader"/> creates one, after validating
/// every field, so a protocol in hand is always consistent (default within range, recovery covers monitoring, the
/// series fits its window, and so on).
/// </summary>
public sealed class TreatmentProtocol
{
    internal TreatmentProtocol(
        string id,
        string version,
        string name,
        string drug,
        AdministrationRoute route,
        ProtocolDose dose,
        DeviceRules? devices,
        SourcedSetting<bool> remsRequired,
        ProtocolTiming timing,
        FastingRules fasting,
        SourcedSetting<IReadOnlyList<string>> requiredEquipment,
        SourcedSetting<int> nonResponseReviewAfterSessions,
        IReadOnlyList<SeriesPhase> seriesPhases,
        MaintenancePhase maintenance,
        string source)
    {
        Id = id;
        Version = version;
        Name = name;
        Drug = drug;
        Route = route;
        Dose = dose;
        Devices = devices;
        RemsRequired = remsRequired;
        Timing = timing;
        Fasting = fasting;
        RequiredEquipment = requiredEquipment;
        NonResponseReviewAfterSessions = nonResponseReviewAfterSessions;
        SeriesPhases = seriesPhases;
        Maintenance = maintenance;
        Source = source;
    }

    public string Id { get; }

    public string Version { get; }

    public string Name { get; }

    public string Drug { get; }

    public AdministrationRoute Route { get; }

    public DoseBasis DoseBasis => Dose.Default.Value.Basis;

    public ProtocolDose Dose { get; }

    /// <summary>Device rules; present exactly when <see cref="DoseBasis"/> is <see cref="DoseBasis.Devices"/>.</summary>
    public DeviceRules? Devices { get; }

    /// <summary>Whether the esketamine REMS rules apply (REFERENCE.md §6).</summary>
    public SourcedSetting<bool> RemsRequired { get; }

    public ProtocolTiming Timing { get; }

    public FastingRules Fasting { get; }

    /// <summary>Equipment codes a chair must have for this protocol, e.g. "infusion-pump".</summary>
    public SourcedSetting<IReadOnlyList<string>> RequiredEquipment { get; }

    /// <summary>Sessions in the course after which a patient still not responding is flagged for physician review.</summary>
    public SourcedSetting<int> NonResponseReviewAfterSessions { get; }

    /// <summary>The booked series in order (induction first).</summary>
    public IReadOnlyList<SeriesPhase> SeriesPhases { get; }

    public MaintenancePhase Maintenance { get; }

    /// <summary>Where the protocol was loaded from, e.g. "built-in:iv-racemic-ketamine.json".</summary>
    public string Source { get; }

    /// <summary>Every phase in order: the series phases, then maintenance.</summary>
    public IEnumerable<TreatmentPhase> Phases => SeriesPhases.Cast<TreatmentPhase>().Append(Maintenance);

    /// <summary>The phase with this id; throws <see cref="KeyNotFoundException"/> naming the known ids otherwise.</summary>
    public TreatmentPhase Phase(string phaseId) =>
        Phases.FirstOrDefault(p => p.Id == phaseId)
        ?? throw new KeyNotFoundException(
            $"Protocol '{Id}' has no phase '{phaseId}' (phases: {string.Join(", ", Phases.Select(p => p.Id))}).");

    /// <summary>The series phase with this id; throws when the id is unknown or names maintenance.</summary>
    public SeriesPhase Series(string phaseId) =>
        Phase(phaseId) as SeriesPhase
        ?? throw new ArgumentException($"Phase '{phaseId}' of protocol '{Id}' is maintenance, not a booked series.", nameof(phaseId));

    /// <summary>The phase after <paramref name="phaseId"/>, or null after maintenance.</summary>
    public TreatmentPhase? NextPhase(string phaseId)
    {
        var phases = Phases.ToList();
        var index = phases.IndexOf(Phase(phaseId));
        return index + 1 < phases.Count ? phases[index + 1] : null;
    }

    public override string ToString() => $"{Name} ({Id} {Version})";
}
