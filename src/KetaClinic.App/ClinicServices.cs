using KetaClinic.App.Data;
using KetaClinic.App.Demo;
using KetaClinic.App.Features.Audit;
using KetaClinic.App.Features.Clinic;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Security;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Features.Users;
using KetaClinic.App.Realtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App;

public static class ClinicServices
{
    /// <summary>Storage, identity stores, audit and the use-case handlers: shared by the web host and the CLI.</summary>
    public static IServiceCollection AddClinicCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var database = DatabaseSettings.From(configuration, contentRoot);
        var clinic = configuration.GetSection(ClinicSettings.Section).Get<ClinicSettings>() ?? new ClinicSettings();
        services.AddSingleton(database);
        services.AddSingleton(clinic);
        services.AddSingleton(configuration.GetSection(DemoSettings.Section).Get<DemoSettings>() ?? new DemoSettings());
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<ClinicDbContext>(database.Configure);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<PatientRegistry>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<ClinicDirectory>();
        services.AddSingleton<ClinicBootstrap>();
        var measurement = configuration.GetSection(MeasurementSettings.Section).Get<MeasurementSettings>() ?? new MeasurementSettings();
        services.AddSingleton(measurement);
        var dataDirectory = configuration["Data:Directory"] ?? DatabaseSettings.DefaultDataDirectory;
        services.AddSingleton(_ => ClinicInstruments.Load(measurement, Path.IsPathRooted(dataDirectory) ? dataDirectory : Path.Combine(contentRoot, dataDirectory)));
        services.AddSingleton<ClinicNotifier>();
        services.AddSingleton<IPatientMessenger, LoggingPatientMessenger>();
        // The chair's clinical settings and the monitor mapping, each with its source: REFERENCE.md defaults with the
        // clinic's values laid over them (sections Sessions and Hl7:Mapping); a bad value stops the start, naming its key.
        var chairSettings = KetaClinic.App.Features.Sessions.ClinicalSettings.Sessions(configuration);
        // The medication review at the chair flags from the same tables as the evaluation (the clinic's edited antidepressant table).
        services.AddSingleton(sp => chairSettings with { Medications = sp.GetRequiredService<ClinicEvaluationRules>().Rules });
        services.AddSingleton(KetaClinic.App.Features.Sessions.ClinicalSettings.Mapping(configuration));
        services.AddSingleton(_ => KetaClinic.App.Features.Plans.ClinicProtocols.Load(Path.IsPathRooted(dataDirectory) ? dataDirectory : Path.Combine(contentRoot, dataDirectory)));
        services.AddSingleton(KetaClinic.Domain.Protocols.DosingSettings.Default);
        services.AddSingleton(KetaClinic.Domain.Protocols.MaintenanceSettings.Default);
        services.AddSingleton(KetaClinic.Domain.Scheduling.SchedulingSettings.Default);
        services.AddSingleton<KetaClinic.App.Features.Plans.TreatmentPlans>();
        services.AddSingleton<KetaClinic.App.Features.Plans.IPlannedDoses, KetaClinic.App.Features.Plans.PlanDoses>();
        services.AddSingleton<KetaClinic.App.Features.Scheduling.ClinicCalendarBuilder>();
        services.AddSingleton<KetaClinic.App.Features.Scheduling.ClinicResources>();
        services.AddSingleton<KetaClinic.App.Features.Scheduling.SeriesBooking>();
        services.AddSingleton<KetaClinic.App.Features.Scheduling.Schedule>();
        services.AddSingleton<KetaClinic.App.Features.Scheduling.CalendarFeeds>();
        services.AddSingleton(configuration.GetSection(KetaClinic.App.Features.Scheduling.ReminderSettings.Section).Get<KetaClinic.App.Features.Scheduling.ReminderSettings>() ?? new KetaClinic.App.Features.Scheduling.ReminderSettings());
        services.AddSingleton<KetaClinic.App.Features.Scheduling.Reminders>();
        services.AddSingleton<KetaClinic.App.Features.Sessions.SessionLog>();
        services.AddSingleton<KetaClinic.App.Features.Sessions.SessionReadCache>();
        services.AddSingleton<KetaClinic.App.Features.Sessions.PreDoseFactsLoader>();
        services.AddSingleton<KetaClinic.App.Features.Sessions.Sessions>();
        services.AddSingleton<KetaClinic.App.Features.Sessions.RemsForms>();
        services.AddSingleton<KetaClinic.App.Features.Sessions.SessionRecords>();
        services.AddSingleton<OutcomeProjector>();
        services.AddSingleton<Measurements>();
        services.AddSingleton<OutcomeQueries>();
        services.AddSingleton(configuration.GetSection(KetaClinic.App.Hl7.Hl7Settings.Section).Get<KetaClinic.App.Hl7.Hl7Settings>() ?? new KetaClinic.App.Hl7.Hl7Settings());
        services.AddSingleton<KetaClinic.App.Hl7.VitalsIntake>();
        services.AddSingleton<KetaClinic.App.Features.Monitoring.MonitoringService>();
        var evaluation = configuration.GetSection(EvaluationSettings.Section).Get<EvaluationSettings>() ?? new EvaluationSettings();
        services.AddSingleton(evaluation);
        services.AddSingleton(_ => ClinicEvaluationRules.Load(evaluation, Path.IsPathRooted(dataDirectory) ? dataDirectory : Path.Combine(contentRoot, dataDirectory)));
        services.AddSingleton<ConsultationRequests>();
        services.AddSingleton<PreScreenings>();
        services.AddSingleton<Consents>();
        services.AddSingleton<TreatmentReadiness>();
        services.AddSingleton<Evaluations>();
        var ledger = configuration.GetSection(LedgerConfiguration.Section).Get<LedgerConfiguration>() ?? new LedgerConfiguration();
        services.AddSingleton(new LedgerRules(ledger.BuildSettings(), ledger.BuildHolidays()));
        services.AddSingleton(PermissionGrants.From(configuration));
        services.AddSingleton<LedgerBook>();
        services.AddSingleton<WitnessAuthenticator>();
        services.AddSingleton<Ledger>();
        services.AddSingleton<LedgerQueries>();
        services.AddSingleton<IControlledSubstanceAdministrations>(sp => sp.GetRequiredService<LedgerQueries>());
        services.AddSingleton<LedgerSetup>();
        services.AddSingleton<LedgerReportService>();
        services.AddSingleton<KetaClinic.App.Features.Auth.SignInAudit>();
        services.AddScoped<KetaClinic.App.Features.Auth.StaffSignIn>();
        services.AddHttpContextAccessor();

        services.AddIdentityCore<ClinicUser>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ClinicDbContext>()
            .AddSignInManager<KetaClinic.App.Features.Auth.ClinicSignInManager>()
            .AddDefaultTokenProviders();
        return services;
    }
}
