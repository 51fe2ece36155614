namespace KetaClinic.App.Realtime;

/// <summary>What changed, for live pages to reload the part they show.</summary>
public sealed record ClinicChange(string Kind, Guid? PatientId);

/// <summary>
/// In-process notifications for live pages (Blazor Server circuits subscribe; handlers publish after commit).
/// Outside clients get a hub later; pages need nothing more than this.
/// </summary>
public sealed class ClinicNotifier
{
    public const string AlertsChanged = "alerts";
    public const string ResponsesChanged = "responses";
    public const string VitalsChanged = "vitals";
    public const string SessionsChanged = "sessions";

    public event Func<ClinicChange, Task>? Changed;

    public async Task PublishAsync(ClinicChange change)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<Func<ClinicChange, Task>>())
        {
            try
            {
                await handler(change);
            }
#pragma warning disable CA1031 // one broken page must not stop the others from hearing about the change
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
