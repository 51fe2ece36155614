namespace KetaClinic.Domain.Protocols;

/// <summary>A rounded dose and how it was reached.</summary>
public sealed record RoundedDose(DoseMg Dose, DoseRoundingKind Kind);

public enum DoseRoundingKind
{
    /// <summary>The exact dose was already a multiple of the precision.</summary>
    Exact,

    /// <summary>Rounded to the nearest multiple (an exact half goes down).</summary>
    Nearest,

    /// <summary>The nearest multiple lay above the limit, so the multiple below was taken.</summary>
    DownToStayWithinLimit,
}

/// <summary>
/// Rounds a calculated dose to what the clinic can measure. Rule: the nearest multiple of the precision; an exact half
/// goes to the smaller dose (toward safety); and never above the limit (the hard maximum for this weight, or the
/// absolute cap): if the nearest multiple lies above it, the multiple below is used. So the result is within half a
/// step of the exact dose, except when staying under the limit costs up to one step, and it is never above the limit.
/// </summary>
public static class DoseRounding
{
    /// <param name="exact">The calculated dose; must be at most <paramref name="limit"/>.</param>
    /// <param name="precision">The measurable step, more than 0.</param>
    /// <param name="limit">The dose that must not be exceeded.</param>
    public static RoundedDose Round(DoseMg exact, DoseMg precision, DoseMg limit)
    {
        if (precision.Value <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "The precision must be more than 0 mg.");
        }

        if (exact.Value < 0m || exact > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(exact), exact, $"The exact dose must be between 0 mg and the limit {limit}.");
        }

        var steps = decimal.Floor(exact.Value / precision.Value);
        var lower = steps * precision.Value;
        if (lower == exact.Value)
        {
            return new RoundedDose(exact, DoseRoundingKind.Exact);
        }

        var upper = lower + precision.Value;
        var nearest = exact.Value - lower <= upper - exact.Value ? lower : upper;
        return nearest > limit.Value
            ? new RoundedDose(new DoseMg(lower), DoseRoundingKind.DownToStayWithinLimit)
            : new RoundedDose(new DoseMg(nearest), DoseRoundingKind.Nearest);
    }
}
