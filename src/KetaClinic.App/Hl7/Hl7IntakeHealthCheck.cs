using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetaClinic.App.Hl7;

/// <summary>
/// Unhealthy once the HL7 intake can no longer make what it stores durable (a failed sync of the SQLite log): from
/// then on no monitor message is acknowledged until the app is restarted, and whoever watches /healthz must know.
/// </summary>
public sealed class Hl7IntakeHealthCheck(VitalsIntake intake) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(intake.DurabilityFailure is { } failure
            ? HealthCheckResult.Unhealthy("monitor messages are not acknowledged: " + failure.Message)
            : HealthCheckResult.Healthy("monitor messages are acknowledged once stored"));
}
