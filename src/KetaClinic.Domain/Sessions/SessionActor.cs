using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Sessions;

/// <summary>The clinic role a person acts in during a session; only a physician may override a pre-dose check.</summary>
public enum StaffRole
{
    Nurse,
    Physician,
    Other,
}

/// <summary>Who did something at the chair: the signed-in user's id and name, and the role they act in.</summary>
public sealed record SessionActor(string UserId, string Name, StaffRole Role)
{
    public const int MaxLength = 200;

    public bool IsPhysician => Role == StaffRole.Physician;

    /// <summary>Adds an error to <paramref name="v"/> for each missing or malformed part, prefixed by <paramref name="field"/>.</summary>
    internal static void Check(Validator v, string field, SessionActor? actor)
    {
        if (actor is null)
        {
            v.Add(field, "is required (who did it).");
            return;
        }

        v.Text(field + ".userId", actor.UserId, MaxLength, required: true);
        v.Text(field + ".name", actor.Name, MaxLength, required: true);
        if (!Enum.IsDefined(actor.Role))
        {
            v.Add(field + ".role", $"'{actor.Role}' is not a known role.");
        }
    }

    /// <summary>Same user, whatever the name or role they signed with.</summary>
    public bool IsSameUserAs(SessionActor other) =>
        other is not null && string.Equals(UserId.Trim(), other.UserId.Trim(), StringComparison.Ordinal);

    public override string ToString() => $"{Name} ({UserId})";
}
