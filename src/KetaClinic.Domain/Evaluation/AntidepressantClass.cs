namespace KetaClinic.Domain.Evaluation;

/// <summary>Pharmacological class of an antidepressant, as used for the "different classes" rule and
/// for Thase–Rush staging (which singles out tricyclics and MAOIs).</summary>
public enum AntidepressantClass
{
    Other = 0,
    Ssri,
    Snri,
    Tricyclic,
    Tetracyclic,
    Maoi,
    Ndri,
    Nassa,
    SerotoninModulator,
    Nri,
    Melatonergic,
}

/// <summary>Stable codes (as written in the catalogue JSON) and plain-language names of the classes.</summary>
public static class AntidepressantClasses
{
    private static readonly (AntidepressantClass Class, string Code, string Name)[] Table =
    [
        (AntidepressantClass.Ssri, "ssri", "SSRI"),
        (AntidepressantClass.Snri, "snri", "SNRI"),
        (AntidepressantClass.Tricyclic, "tca", "tricyclic (TCA)"),
        (AntidepressantClass.Tetracyclic, "tetracyclic", "tetracyclic"),
        (AntidepressantClass.Maoi, "maoi", "MAOI"),
        (AntidepressantClass.Ndri, "ndri", "NDRI (atypical)"),
        (AntidepressantClass.Nassa, "nassa", "NaSSA"),
        (AntidepressantClass.SerotoninModulator, "serotonin-modulator", "serotonin modulator"),
        (AntidepressantClass.Nri, "nri", "NRI"),
        (AntidepressantClass.Melatonergic, "melatonergic", "melatonergic"),
        (AntidepressantClass.Other, "other", "other"),
    ];

    public static IReadOnlyList<string> Codes { get; } = Table.Select(t => t.Code).ToArray();

    public static string Code(this AntidepressantClass value) => Find(value).Code;

    public static string DisplayName(this AntidepressantClass value) => Find(value).Name;

    public static bool TryParse(string? code, out AntidepressantClass value)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = row.Class;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static (AntidepressantClass Class, string Code, string Name) Find(AntidepressantClass value)
    {
        foreach (var row in Table)
        {
            if (row.Class == value)
            {
                return row;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown antidepressant class.");
    }
}
