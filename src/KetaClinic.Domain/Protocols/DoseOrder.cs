using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Protocols;

/// <summary>One version of a physician's dose order; versions are never edited, only superseded.</summary>
public sealed record DoseOrderVersion(int Version, DoseAmount Dose, string OrderedBy, DateTimeOffset OrderedAt, string Reason);

/// <summary>
/// The dose order of one treatment plan, versioned. The first version starts a plan (usually the protocol default);
/// every later one is a titration that must give a reason, stay within the protocol's range and hard maximum, and
/// change the dose by at most the protocol's titration step. A refused change throws
/// <see cref="DomainValidationException"/> naming the field and the rule, and leaves the order as it was.
/// </summary>
public sealed class DoseOrder
{
    public const int ReasonMaxLength = 500;

    private readonly List<DoseOrderVersion> _versions = [];

    private DoseOrder(TreatmentProtocol protocol) => Protocol = protocol;

    public TreatmentProtocol Protocol { get; }

    public IReadOnlyList<DoseOrderVersion> Versions => _versions;

    public DoseOrderVersion Current => _versions[^1];

    /// <summary>Starts an order; <paramref name="dose"/> null means the protocol's default dose.</summary>
    public static DoseOrder Start(TreatmentProtocol protocol, DoseAmount? dose, string orderedBy, DateTimeOffset orderedAt, string reason)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var order = new DoseOrder(protocol);
        var amount = dose ?? protocol.Dose.Default.Value;
        var v = new Validator();
        CheckCommon(v, protocol, amount, orderedBy, reason);
        ThrowIfInvalid(v);
        order._versions.Add(new DoseOrderVersion(1, amount, orderedBy.Trim(), orderedAt, reason.Trim()));
        return order;
    }

    /// <summary>A physician-ordered change of dose; returns the new version.</summary>
    public DoseOrderVersion Titrate(DoseAmount newDose, string orderedBy, DateTimeOffset orderedAt, string reason)
    {
        var v = new Validator();
        CheckCommon(v, Protocol, newDose, orderedBy, reason);
        var current = Current;
        if (orderedAt < current.OrderedAt)
        {
            v.Add("orderedAt", $"must not be before the current order of {current.OrderedAt:O}.");
        }

        if (newDose.Basis == current.Dose.Basis)
        {
            var change = Math.Abs(newDose.Value - current.Dose.Value);
            var step = Protocol.Dose.TitrationStep.Value;
            if (change == 0m)
            {
                v.Add("dose", $"{newDose} is the current dose: a titration must change it.");
            }
            else if (change > step.Value)
            {
                v.Add("dose", $"changing {current.Dose} to {newDose} moves {new DoseAmount(step.Basis, change)}, more than the titration step {step} ({Protocol.Dose.TitrationStep.Source}); titrate in steps.");
            }
        }

        ThrowIfInvalid(v);
        var version = new DoseOrderVersion(current.Version + 1, newDose, orderedBy.Trim(), orderedAt, reason.Trim());
        _versions.Add(version);
        return version;
    }

    private static void CheckCommon(Validator v, TreatmentProtocol protocol, DoseAmount dose, string orderedBy, string reason)
    {
        v.Text("orderedBy", orderedBy, 200, required: true);
        v.Text("reason", reason, ReasonMaxLength, required: true);
        var limits = protocol.Dose;
        if (dose.Basis != protocol.DoseBasis)
        {
            v.Add("dose", $"{dose} is not in the protocol's unit ({limits.Default.Value.Unit}).");
            return;
        }

        if (dose > limits.HardMaximum.Value)
        {
            v.Add("dose", $"{dose} is above the hard maximum {limits.HardMaximum.Value} ({limits.HardMaximum.Source}).");
        }
        else if (dose < limits.Minimum.Value || dose > limits.Maximum.Value)
        {
            v.Add("dose", $"{dose} is outside the protocol's range {limits.Minimum.Value}–{limits.Maximum.Value}.");
        }

        if (protocol.Devices is { } devices && devices.DeviceCount(dose.AsMg()) is null)
        {
            v.Add("dose", $"{dose} is not an allowed device dose ({string.Join(" or ", devices.AllowedDoses.Value)}).");
        }
    }

    private static void ThrowIfInvalid(Validator v)
    {
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
    }
}
