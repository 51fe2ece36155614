namespace KetaClinic.Domain.Evaluation;

/// <summary>Answer to a yes/no screening question. The default is <see cref="Unknown"/> so that an
/// unanswered question can never be mistaken for "no".</summary>
public enum ScreeningAnswer
{
    Unknown = 0,
    No,
    Yes,
}
