namespace KetaClinic.App.Features.Measurement;

/// <summary>A text message or email to a patient (a questionnaire link, a reminder).</summary>
public sealed record PatientMessage(string Channel, string To, string Text);

/// <summary>The seam to the clinic's SMS and email provider.</summary>
public interface IPatientMessenger
{
    Task SendAsync(PatientMessage message, CancellationToken ct);
}

/// <summary>
/// Used until a provider is configured: writes the message to the log so a demo or a test can follow the link.
/// Outside demo mode the text (which holds a single-use link) is not logged, only that a message was due.
/// </summary>
public sealed partial class LoggingPatientMessenger(ILogger<LoggingPatientMessenger> logger, KetaClinic.App.Demo.DemoSettings demo) : IPatientMessenger
{
    public Task SendAsync(PatientMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (demo.Enabled)
        {
            LogDemo(logger, message.Channel, message.To, message.Text);
        }
        else
        {
            LogNoProvider(logger, message.Channel);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo {Channel} to {To}: {Text}")]
    private static partial void LogDemo(ILogger logger, string channel, string to, string text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No {Channel} provider is configured; the message was not delivered. Hand the link to the patient in person.")]
    private static partial void LogNoProvider(ILogger logger, string channel);
}
