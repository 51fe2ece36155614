namespace KetaClinic.Domain.Evaluation;

/// <summary>A clinic-configurable value together with the source that justifies it.</summary>
public sealed record SourcedSetting<T>(T Value, string Source);
