using System.Collections;
using System.Reflection;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

/// <summary>
/// Changes one stored field of an entry, found by reflection, so a test can show that every field of every
/// kind of entry is covered by the hash (a field left out of the canonical text would go unnoticed).
/// </summary>
internal static class Tamper
{
    private static readonly MethodInfo Clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!;

    /// <summary>The entry with one field changed, and the path of that field.</summary>
    public static (LedgerEntry Entry, string Path) OneField(LedgerEntry entry, Random random)
    {
        if (random.Next(5) == 0)
        {
            return random.Next(2) == 0
                ? (entry with { RecordedAt = entry.RecordedAt.AddTicks(10) }, "recordedAt")
                : (entry with { RecordedBy = entry.RecordedBy + "x" }, "recordedBy");
        }
        var (changed, path) = Object(entry.Event, random, entry.Event.Kind);
        return (entry with { Event = (LedgerEvent)changed }, path);
    }

    /// <summary>All stored (settable) fields of an object; computed ones are left alone.</summary>
    public static PropertyInfo[] StoredFields(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")];

    private static (object Value, string Path) Object(object value, Random random, string path)
    {
        var fields = StoredFields(value.GetType()).Where(p => CanChange(p.PropertyType, p.GetValue(value))).ToArray();
        var field = fields[random.Next(fields.Length)];
        var (changed, subPath) = Value(field.PropertyType, field.GetValue(value), random, path + "." + field.Name);
        var copy = Clone.Invoke(value, null)!;
        field.SetValue(copy, changed);
        return (copy, subPath);
    }

    private static bool CanChange(Type type, object? value) =>
        !(value is IList list && list.Count == 0) || !IsList(type);

    private static bool IsList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);

    private static (object? Value, string Path) Value(Type type, object? value, Random random, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            // A missing value becomes present.
            var target = underlying ?? type;
            return (target == typeof(string) ? "x"
                : target == typeof(WitnessAttestation) ? new WitnessAttestation("x", DateTimeOffset.UnixEpoch)
                : target.IsEnum ? Enum.GetValues(target).GetValue(0)
                : Activator.CreateInstance(target), path);
        }
        var t = underlying ?? type;
        object changed = value switch
        {
            string s => s + "x",
            long l => l + 1,
            int i => i + 1,
            bool b => !b,
            Guid g => g == Guid.Empty ? Guid.NewGuid() : new Guid(g.ToByteArray().Select((x, i) => i == 0 ? (byte)(x ^ 1) : x).ToArray()),
            DateOnly d => d.AddDays(1),
            DateTimeOffset dto => dto.AddTicks(10),
            MassMcg m => new MassMcg(m.Micrograms + 1),
            MeasuredAmount a => random.Next(2) == 0 ? a with { Value = a.Value + 1 } : a with { Unit = (AmountUnit)(((int)a.Unit + 1) % 3) },
            Enum e => NextEnum(t, e),
            IList list when IsList(type) => ChangeElement(type, list, random, path, out path),
            _ => ChangeObject(value, random, path, out path),
        };
        return (changed, path);
    }

    private static object NextEnum(Type type, Enum value)
    {
        var values = Enum.GetValues(type);
        var index = Array.IndexOf(values, value);
        return values.GetValue((index + 1) % values.Length)!;
    }

    private static object ChangeElement(Type listType, IList list, Random random, string path, out string newPath)
    {
        var element = listType.GetGenericArguments()[0];
        var copy = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in list)
        {
            copy.Add(item);
        }
        var index = random.Next(copy.Count);
        var (changed, p) = Value(element, copy[index], random, $"{path}[{index}]");
        copy[index] = changed;
        newPath = p;
        return copy;
    }

    private static object ChangeObject(object value, Random random, string path, out string newPath)
    {
        var (changed, p) = Object(value, random, path);
        newPath = p;
        return changed;
    }
}
