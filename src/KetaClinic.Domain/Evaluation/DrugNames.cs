namespace KetaClinic.Domain.Evaluation;

/// <summary>Matches drug names as people write them: any case, extra spaces, a salt or a release form
/// after the name ("Venlafaxine XR", "sertraline hydrochloride").</summary>
public static class DrugNames
{
    // Trailing words that do not change which drug it is.
    private static readonly HashSet<string> IgnoredTrailingWords = new(StringComparer.Ordinal)
    {
        "XR", "XL", "SR", "ER", "CR", "LA", "MR", "CD", "IR", "ODT", "RETARD",
        "HYDROCHLORIDE", "HCL", "HYDROBROMIDE", "HBR", "MALEATE", "MESYLATE", "MESILATE", "OXALATE",
        "SUCCINATE", "SULFATE", "SULPHATE", "TARTRATE", "FUMARATE", "BESYLATE", "CITRATE",
    };

    private static readonly char[] Separators = [' ', '\t', '\r', '\n'];

    /// <summary>A comparison key for a drug name; empty for a blank name.</summary>
    public static string Key(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return string.Empty;
        }

        var words = name.Trim().ToUpperInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && IgnoredTrailingWords.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return string.Join(' ', words);
    }
}
