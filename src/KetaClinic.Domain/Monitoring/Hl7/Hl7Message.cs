namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>A parsed HL7 v2 message: its header and its segments in order. All values are unescaped.</summary>
public sealed class Hl7Message
{
    internal Hl7Message(Hl7Header header, IReadOnlyList<Hl7Segment> segments)
    {
        Header = header;
        Segments = segments;
    }

    public Hl7Header Header { get; }

    public Hl7Delimiters Delimiters => Header.Delimiters;

    /// <summary>All segments, MSH first.</summary>
    public IReadOnlyList<Hl7Segment> Segments { get; }

    /// <summary>The segments with the given id, in message order.</summary>
    public IEnumerable<Hl7Segment> SegmentsWithId(string segmentId) =>
        Segments.Where(s => string.Equals(s.Id, segmentId, StringComparison.Ordinal));

    /// <summary>
    /// A value of the first segment with <paramref name="segmentId"/>, first repetition, for example
    /// <c>Get("MSH", 9, component: 2)</c> for the trigger event. "" when anything along the way is absent.
    /// </summary>
    public string Get(string segmentId, int field, int component = 1, int subcomponent = 1) =>
        SegmentsWithId(segmentId).FirstOrDefault()?.Get(field, component, subcomponent) ?? string.Empty;
}

/// <summary>One segment. Fields are numbered as in the standard: for MSH, field 1 is the field separator.</summary>
public sealed class Hl7Segment
{
    private readonly IReadOnlyList<Hl7Field> _fields;

    internal Hl7Segment(string id, int sequence, IReadOnlyList<Hl7Field> fields)
    {
        Id = id;
        Sequence = sequence;
        _fields = fields;
    }

    public string Id { get; }

    /// <summary>1-based position in the message (MSH is 1).</summary>
    public int Sequence { get; }

    /// <summary>The number of the last field present.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>Field <paramref name="number"/> (1-based); an empty field when the segment is shorter.</summary>
    public Hl7Field Field(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return number <= _fields.Count ? _fields[number - 1] : Hl7Field.Empty;
    }

    /// <summary>One value; "" when absent.</summary>
    public string Get(int field, int component = 1, int subcomponent = 1, int repetition = 1) =>
        Field(field).Get(component, subcomponent, repetition);

    /// <summary>A location for error reports, pointing at this segment and optionally a field.</summary>
    public Hl7Location Location(int? field = null) => new(Id, Sequence, field);
}

/// <summary>A field: one or more repetitions.</summary>
public sealed class Hl7Field
{
    internal static readonly Hl7Field Empty = new([Hl7Repetition.Empty]);

    internal Hl7Field(IReadOnlyList<Hl7Repetition> repetitions) => Repetitions = repetitions;

    /// <summary>At least one repetition; an empty field has one empty repetition.</summary>
    public IReadOnlyList<Hl7Repetition> Repetitions { get; }

    public bool IsEmpty => Repetitions.Count == 1 && Repetitions[0].IsEmpty;

    /// <summary>The first repetition, first component, first subcomponent.</summary>
    public string Value => Get();

    /// <summary>One value; "" when absent.</summary>
    public string Get(int component = 1, int subcomponent = 1, int repetition = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetition, 1);
        return repetition <= Repetitions.Count ? Repetitions[repetition - 1].Get(component, subcomponent) : string.Empty;
    }
}

/// <summary>One repetition of a field: its components.</summary>
public sealed class Hl7Repetition
{
    internal static readonly Hl7Repetition Empty = new([Hl7Component.Empty]);

    internal Hl7Repetition(IReadOnlyList<Hl7Component> components) => Components = components;

    /// <summary>At least one component.</summary>
    public IReadOnlyList<Hl7Component> Components { get; }

    public bool IsEmpty => Components.All(c => c.IsEmpty);

    /// <summary>One value; "" when absent.</summary>
    public string Get(int component = 1, int subcomponent = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(component, 1);
        return component <= Components.Count ? Components[component - 1].Get(subcomponent) : string.Empty;
    }
}

/// <summary>One component: its subcomponents, already unescaped.</summary>
public sealed class Hl7Component
{
    internal static readonly Hl7Component Empty = new([string.Empty]);

    internal Hl7Component(IReadOnlyList<string> subcomponents) => Subcomponents = subcomponents;

    /// <summary>At least one subcomponent.</summary>
    public IReadOnlyList<string> Subcomponents { get; }

    public bool IsEmpty => Subcomponents.All(s => s.Length == 0);

    /// <summary>The first subcomponent, which is the whole value when there are no subcomponents.</summary>
    public string Value => Subcomponents[0];

    /// <summary>One subcomponent; "" when absent.</summary>
    public string Get(int subcomponent = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subcomponent, 1);
        return subcomponent <= Subcomponents.Count ? Subcomponents[subcomponent - 1] : string.Empty;
    }
}
