using System.Text;
using KetaClinic.Domain.Patients;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KetaClinic.App.Data;

public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options)
    : IdentityDbContext<ClinicUser, IdentityRole, string>(options)
{
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Diagnosis> Diagnoses => Set<Diagnosis>();
    public DbSet<Allergy> Allergies => Set<Allergy>();
    public DbSet<BodyMeasurement> BodyMeasurements => Set<BodyMeasurement>();
    public DbSet<Location> Locations => Set<Location>();
    public DbSet<Chair> Chairs => Set<Chair>();
    public DbSet<TreatmentCourse> TreatmentCourses => Set<TreatmentCourse>();
    public DbSet<TreatmentSession> TreatmentSessions => Set<TreatmentSession>();
    public DbSet<InstrumentResponse> InstrumentResponses => Set<InstrumentResponse>();
    public DbSet<PatientLink> PatientLinks => Set<PatientLink>();
    public DbSet<SafetyAlert> SafetyAlerts => Set<SafetyAlert>();
    public DbSet<CourseOutcomeRow> CourseOutcomes => Set<CourseOutcomeRow>();
    public DbSet<MonitorDevice> MonitorDevices => Set<MonitorDevice>();
    public DbSet<VitalSignRecord> VitalSigns => Set<VitalSignRecord>();
    public DbSet<Hl7InboundMessage> Hl7InboundMessages => Set<Hl7InboundMessage>();
    public DbSet<SessionEventRow> SessionEvents => Set<SessionEventRow>();
    public DbSet<SessionSettingsVersion> SessionSettingsVersions => Set<SessionSettingsVersion>();
    public DbSet<ConsultationLead> ConsultationLeads => Set<ConsultationLead>();
    public DbSet<ConsultationAppointment> ConsultationAppointments => Set<ConsultationAppointment>();
    public DbSet<PreScreeningSubmission> PreScreeningSubmissions => Set<PreScreeningSubmission>();
    public DbSet<ClinicalEvaluation> ClinicalEvaluations => Set<ClinicalEvaluation>();
    public DbSet<EvaluationAddendum> EvaluationAddenda => Set<EvaluationAddendum>();
    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<ChairStateVersion> ChairStateVersions => Set<ChairStateVersion>();
    public DbSet<DeaRegistrationRow> DeaRegistrations => Set<DeaRegistrationRow>();
    public DbSet<StorageLocationRow> StorageLocations => Set<StorageLocationRow>();
    public DbSet<ControlledProductRow> ControlledProducts => Set<ControlledProductRow>();
    public DbSet<LedgerEntryRow> LedgerEntries => Set<LedgerEntryRow>();
    public DbSet<LedgerChainHead> LedgerChainHeads => Set<LedgerChainHead>();
    public DbSet<LedgerAlertAcknowledgement> LedgerAlertAcknowledgements => Set<LedgerAlertAcknowledgement>();
    public DbSet<OpeningHoursRow> OpeningHours => Set<OpeningHoursRow>();
    public DbSet<ClinicClosureRow> ClinicClosures => Set<ClinicClosureRow>();
    public DbSet<ChairClosureRow> ChairClosures => Set<ChairClosureRow>();
    public DbSet<NurseShiftRow> NurseShifts => Set<NurseShiftRow>();
    public DbSet<AppointmentTypeRow> AppointmentTypes => Set<AppointmentTypeRow>();
    public DbSet<TreatmentPlanRow> TreatmentPlans => Set<TreatmentPlanRow>();
    public DbSet<DoseOrderRow> DoseOrders => Set<DoseOrderRow>();
    public DbSet<PlanDecisionRow> PlanDecisions => Set<PlanDecisionRow>();
    public DbSet<CalendarFeedRow> CalendarFeeds => Set<CalendarFeedRow>();
    public DbSet<ReminderMessageRow> ReminderOutbox => Set<ReminderMessageRow>();
    public DbSet<ReplanReportRow> ReplanReports => Set<ReplanReportRow>();
    public DbSet<WaitlistEntryRow> Waitlist => Set<WaitlistEntryRow>();

    /// <summary>Whether this context runs on SQLite (asked once: the provider's name is looked up by reflection).</summary>
    public bool IsSqlite => _isSqlite ??= Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    private bool? _isSqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (IsSqlite)
        {
            // SQLite has no instant type: store UTC ticks so ordering and range filters run in the database.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
            // SQLite stores decimals as text; keep them exact and comparable as text is not needed for these.
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<ClinicUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
        });

        builder.Entity<Patient>(e =>
        {
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.Mrn).HasMaxLength(10).IsRequired();
            e.HasIndex(p => p.Mrn).IsUnique();
            e.Property(p => p.LegalGivenName).HasMaxLength(PatientRules.NameMax).IsRequired();
            e.Property(p => p.LegalFamilyName).HasMaxLength(PatientRules.NameMax).IsRequired();
            e.Property(p => p.PreferredName).HasMaxLength(PatientRules.NameMax);
            e.Property(p => p.Sex).HasConversion<string>().HasMaxLength(10);
            e.Property(p => p.Email).HasMaxLength(254);
            e.Property(p => p.Phone).HasMaxLength(32);
            e.Property(p => p.AddressLine1).HasMaxLength(PatientRules.TextMax);
            e.Property(p => p.AddressLine2).HasMaxLength(PatientRules.TextMax);
            e.Property(p => p.City).HasMaxLength(PatientRules.NameMax);
            e.Property(p => p.Region).HasMaxLength(PatientRules.NameMax);
            e.Property(p => p.PostalCode).HasMaxLength(20);
            e.Property(p => p.EmergencyContactName).HasMaxLength(PatientRules.NameMax);
            e.Property(p => p.EmergencyContactRelationship).HasMaxLength(50);
            e.Property(p => p.EmergencyContactPhone).HasMaxLength(32);
            e.Property(p => p.CompanionName).HasMaxLength(PatientRules.NameMax);
            e.Property(p => p.CompanionPhone).HasMaxLength(32);
            e.Property(p => p.ReferringClinicianName).HasMaxLength(PatientRules.NameMax);
            e.Property(p => p.ReferringClinicianPhone).HasMaxLength(32);
            e.Property(p => p.ReferringClinicianEmail).HasMaxLength(254);
            e.Property(p => p.SearchName).HasMaxLength(310).IsRequired();
            e.HasIndex(p => p.SearchName);
            e.HasIndex(p => p.DateOfBirth);
            e.Property(p => p.Version).IsConcurrencyToken();
            e.Ignore(p => p.DisplayName);
            e.Ignore(p => p.LatestWeight);
            e.Ignore(p => p.LatestHeight);
            e.HasMany(p => p.Diagnoses).WithOne().HasForeignKey(d => d.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(p => p.Allergies).WithOne().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(p => p.Measurements).WithOne().HasForeignKey(m => m.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.Navigation(p => p.Diagnoses).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Navigation(p => p.Allergies).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Navigation(p => p.Measurements).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        builder.Entity<Diagnosis>(e =>
        {
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.Code).HasMaxLength(8).IsRequired();
            e.Property(d => d.Description).HasMaxLength(PatientRules.TextMax);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(d => d.RecordedBy).HasMaxLength(450).IsRequired();
        });

        builder.Entity<Allergy>(e =>
        {
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Substance).HasMaxLength(PatientRules.NameMax).IsRequired();
            e.Property(a => a.Reaction).HasMaxLength(PatientRules.TextMax);
            e.Property(a => a.Severity).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.RecordedBy).HasMaxLength(450).IsRequired();
        });

        builder.Entity<BodyMeasurement>(e =>
        {
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever();
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(10);
            e.Property(m => m.Value).HasPrecision(6, 1);
            e.Property(m => m.RecordedBy).HasMaxLength(450).IsRequired();
            e.HasIndex(m => new { m.PatientId, m.Kind, m.MeasuredAt });
        });

        builder.Entity<Location>(e =>
        {
            e.HasKey(l => l.Id);
            e.Property(l => l.Id).ValueGeneratedNever();
            e.Property(l => l.Name).HasMaxLength(100).IsRequired();
            e.Property(l => l.AddressLine1).HasMaxLength(200);
            e.Property(l => l.City).HasMaxLength(100);
            e.Property(l => l.Region).HasMaxLength(100);
            e.Property(l => l.PostalCode).HasMaxLength(20);
            e.Property(l => l.Phone).HasMaxLength(32);
            e.Property(l => l.TimeZone).HasMaxLength(64).IsRequired();
            e.HasMany(l => l.Chairs).WithOne().HasForeignKey(c => c.LocationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Chair>(e =>
        {
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Name).HasMaxLength(50).IsRequired();
            e.HasIndex(c => new { c.LocationId, c.Name }).IsUnique();
        });

        ConfigureMeasurement(builder);
        ConfigureMonitoring(builder);
        ConfigureEvaluation(builder);
        ConfigureLedger(builder);
        ConfigureScheduling(builder);

        builder.Entity<AuditEntry>(e =>
        {
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.Property(a => a.UserId).HasMaxLength(450).IsRequired();
            e.Property(a => a.UserName).HasMaxLength(256).IsRequired();
            e.Property(a => a.Roles).HasMaxLength(200).IsRequired();
            e.Property(a => a.Action).HasMaxLength(40).IsRequired();
            e.Property(a => a.RecordType).HasMaxLength(60).IsRequired();
            e.Property(a => a.RecordId).HasMaxLength(100);
            e.Property(a => a.RemoteAddress).HasMaxLength(64);
            e.Property(a => a.PreviousHash).HasMaxLength(64).IsRequired();
            e.Property(a => a.Hash).HasMaxLength(64).IsRequired();
            e.HasIndex(a => a.OccurredAt);
            e.HasIndex(a => a.PatientId);
            e.HasIndex(a => a.UserId);
        });

        builder.Entity<AuditChainHead>(e =>
        {
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).ValueGeneratedNever();
            e.Property(h => h.LastHash).HasMaxLength(64).IsRequired();
        });

        builder.Entity<ChairStateVersion>(e =>
        {
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
        });

        ApplySnakeCaseNames(builder);
    }

    private static void ConfigureScheduling(ModelBuilder builder)
    {
        builder.Entity<OpeningHoursRow>(e =>
        {
            e.ToTable("opening_hours");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).ValueGeneratedNever();
            e.HasOne<Location>().WithMany().HasForeignKey(h => h.LocationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(h => new { h.LocationId, h.DayOfWeek });
        });
        builder.Entity<ClinicClosureRow>(e =>
        {
            e.ToTable("clinic_closures");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Reason).HasMaxLength(200).IsRequired();
            e.HasOne<Location>().WithMany().HasForeignKey(c => c.LocationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.LocationId, c.Day }).IsUnique();
        });
        builder.Entity<ChairClosureRow>(e =>
        {
            e.ToTable("chair_closures");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Reason).HasMaxLength(200).IsRequired();
            e.Property(c => c.CreatedBy).HasMaxLength(450).IsRequired();
            e.HasOne<Chair>().WithMany().HasForeignKey(c => c.ChairId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.ChairId, c.Day });
        });
        builder.Entity<NurseShiftRow>(e =>
        {
            e.ToTable("nurse_shifts");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.NurseId).HasMaxLength(450).IsRequired();
            e.Property(s => s.NurseName).HasMaxLength(100).IsRequired();
            e.HasOne<Location>().WithMany().HasForeignKey(s => s.LocationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(s => new { s.LocationId, s.Day });
        });
        builder.Entity<AppointmentTypeRow>(e =>
        {
            e.ToTable("appointment_types");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.Code).HasMaxLength(40).IsRequired();
            e.Property(t => t.Name).HasMaxLength(100).IsRequired();
            e.HasIndex(t => t.Code).IsUnique();
        });
        builder.Entity<TreatmentPlanRow>(e =>
        {
            e.ToTable("treatment_plans");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.ProtocolId).HasMaxLength(60).IsRequired();
            e.Property(p => p.ProtocolVersion).HasMaxLength(20).IsRequired();
            e.Property(p => p.PhaseId).HasMaxLength(40).IsRequired();
            e.Property(p => p.Status).HasMaxLength(20).IsRequired();
            e.Property(p => p.CreatedBy).HasMaxLength(450).IsRequired();
            e.Property(p => p.CreatedByName).HasMaxLength(100).IsRequired();
            e.HasOne<TreatmentCourse>().WithMany().HasForeignKey(p => p.CourseId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Patient>().WithMany().HasForeignKey(p => p.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(p => p.CourseId).IsUnique();
            e.HasIndex(p => p.PatientId);
        });
        builder.Entity<DoseOrderRow>(e =>
        {
            e.ToTable("dose_orders");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).ValueGeneratedNever();
            e.Property(o => o.DoseBasis).HasMaxLength(20).IsRequired();
            e.Property(o => o.DoseValue).HasPrecision(9, 4);
            e.Property(o => o.OrderedBy).HasMaxLength(450).IsRequired();
            e.Property(o => o.OrderedByName).HasMaxLength(100).IsRequired();
            e.Property(o => o.Reason).HasMaxLength(500).IsRequired();
            e.HasOne<TreatmentPlanRow>().WithMany().HasForeignKey(o => o.PlanId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(o => new { o.PlanId, o.Version }).IsUnique();
        });
        builder.Entity<PlanDecisionRow>(e =>
        {
            e.ToTable("plan_decisions");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.ProposalKind).HasMaxLength(40).IsRequired();
            e.Property(d => d.ProposedPhaseId).HasMaxLength(40).IsRequired();
            e.Property(d => d.ChosenPhaseId).HasMaxLength(40).IsRequired();
            e.Property(d => d.Reason).HasMaxLength(500);
            e.Property(d => d.DecidedBy).HasMaxLength(450).IsRequired();
            e.Property(d => d.DecidedByName).HasMaxLength(100).IsRequired();
            e.HasOne<TreatmentPlanRow>().WithMany().HasForeignKey(d => d.PlanId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(d => d.PlanId);
        });
        builder.Entity<CalendarFeedRow>(e =>
        {
            e.ToTable("calendar_feeds");
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedNever();
            e.Property(f => f.TokenHash).HasMaxLength(64).IsRequired();
            e.Property(f => f.OwnerKind).HasMaxLength(20).IsRequired();
            e.Property(f => f.UserId).HasMaxLength(450);
            e.Property(f => f.CreatedBy).HasMaxLength(450).IsRequired();
            e.HasIndex(f => f.TokenHash).IsUnique();
        });
        builder.Entity<ReminderMessageRow>(e =>
        {
            e.ToTable("reminder_outbox");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Channel).HasMaxLength(10).IsRequired();
            e.Property(r => r.Recipient).HasMaxLength(254).IsRequired();
            e.Property(r => r.Body).HasMaxLength(2000).IsRequired();
            e.Property(r => r.Status).HasMaxLength(20).IsRequired();
            e.HasOne<TreatmentSession>().WithMany().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => new { r.Status, r.DueAt });
            e.HasIndex(r => r.SessionId);
        });
        builder.Entity<ReplanReportRow>(e =>
        {
            e.ToTable("replan_reports");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.CreatedBy).HasMaxLength(450).IsRequired();
            e.Property(r => r.Cause).HasMaxLength(300).IsRequired();
            e.Property(r => r.Report).IsRequired();
            e.HasIndex(r => r.CreatedAt);
        });
        builder.Entity<WaitlistEntryRow>(e =>
        {
            e.ToTable("waitlist_entries");
            e.HasKey(w => w.Id);
            e.Property(w => w.Id).ValueGeneratedNever();
            e.Property(w => w.Note).HasMaxLength(500);
            e.Property(w => w.CreatedBy).HasMaxLength(450).IsRequired();
            e.Property(w => w.Status).HasMaxLength(20).IsRequired();
            e.Property(w => w.OfferedSlot).HasMaxLength(200);
            e.HasOne<TreatmentPlanRow>().WithMany().HasForeignKey(w => w.PlanId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(w => new { w.Status, w.CreatedAt });
        });
    }

    private static void ConfigureMeasurement(ModelBuilder builder)
    {
        builder.Entity<TreatmentCourse>(e =>
        {
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Route).HasMaxLength(30).IsRequired();
            e.Property(c => c.ProtocolCode).HasMaxLength(40).IsRequired();
            e.Property(c => c.Status).HasMaxLength(20).IsRequired();
            e.HasOne<Patient>().WithMany().HasForeignKey(c => c.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Location>().WithMany().HasForeignKey(c => c.LocationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TreatmentSession>(e =>
        {
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Status).HasMaxLength(30).IsRequired();
            e.Property(s => s.PhaseId).HasMaxLength(40);
            e.Property(s => s.SeriesId).HasMaxLength(80);
            e.Property(s => s.CancelledBy).HasMaxLength(450);
            e.Property(s => s.CancelReason).HasMaxLength(500);
            e.HasIndex(s => new { s.ChairId, s.ScheduledStart });
            e.HasOne<TreatmentCourse>().WithMany().HasForeignKey(s => s.CourseId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(s => new { s.PatientId, s.ScheduledStart });
            e.HasIndex(s => new { s.LocationId, s.ScheduledStart });
            e.HasIndex(s => s.Status);
        });

        builder.Entity<InstrumentResponse>(e =>
        {
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.InstrumentId).HasMaxLength(40).IsRequired();
            e.Property(r => r.InstrumentVersion).HasMaxLength(20).IsRequired();
            e.Property(r => r.Answers).IsRequired();
            e.Property(r => r.SeverityCode).HasMaxLength(40);
            e.Property(r => r.SeverityDisplay).HasMaxLength(100);
            e.Property(r => r.Flags).HasMaxLength(200).IsRequired();
            e.Property(r => r.TriageLevel).HasMaxLength(20);
            e.Property(r => r.LoincPanel).HasMaxLength(20);
            e.Property(r => r.LoincTotal).HasMaxLength(20);
            e.Property(r => r.RecordedBy).HasMaxLength(450).IsRequired();
            e.Property(r => r.RecordedByName).HasMaxLength(256).IsRequired();
            e.Property(r => r.Source).HasMaxLength(20).IsRequired();
            e.HasOne<Patient>().WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => new { r.PatientId, r.InstrumentId, r.TakenAt });
        });

        builder.Entity<PatientLink>(e =>
        {
            e.HasKey(l => l.Id);
            e.Property(l => l.Id).ValueGeneratedNever();
            e.Property(l => l.TokenHash).HasMaxLength(64).IsRequired();
            e.HasIndex(l => l.TokenHash).IsUnique();
            e.Property(l => l.InstrumentId).HasMaxLength(40).IsRequired();
            e.Property(l => l.CreatedBy).HasMaxLength(450).IsRequired();
            e.Property(l => l.CreatedByName).HasMaxLength(256).IsRequired();
            e.Property(l => l.SentVia).HasMaxLength(20).IsRequired();
            e.Property(l => l.SentTo).HasMaxLength(254);
            e.Property(l => l.Purpose).HasMaxLength(20).IsRequired();
            e.HasOne<Patient>().WithMany().HasForeignKey(l => l.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => new { l.PatientId, l.CreatedAt });
        });

        builder.Entity<SafetyAlert>(e =>
        {
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Kind).HasMaxLength(40).IsRequired();
            e.Property(a => a.Severity).HasMaxLength(20).IsRequired();
            e.Property(a => a.Message).HasMaxLength(300).IsRequired();
            e.Property(a => a.AcknowledgedBy).HasMaxLength(450);
            e.Property(a => a.AcknowledgedByName).HasMaxLength(256);
            e.Property(a => a.ActionTaken).HasMaxLength(40);
            e.Property(a => a.Note).HasMaxLength(1000);
            e.HasOne<Patient>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => new { a.PatientId, a.RaisedAt });
            e.HasIndex(a => a.AcknowledgedAt);
        });

        builder.Entity<CourseOutcomeRow>(e =>
        {
            e.ToTable("course_outcomes");
            e.HasKey(o => new { o.CourseId, o.InstrumentId });
            e.Property(o => o.InstrumentId).HasMaxLength(40);
            e.Property(o => o.Route).HasMaxLength(30).IsRequired();
            e.Property(o => o.ProtocolCode).HasMaxLength(40).IsRequired();
            e.Property(o => o.DiagnosisCode).HasMaxLength(8);
            e.Property(o => o.Status).HasMaxLength(20).IsRequired();
            e.Property(o => o.ChangePercent).HasPrecision(6, 1);
            e.HasOne<TreatmentCourse>().WithMany().HasForeignKey(o => o.CourseId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(o => o.PatientId);
        });
    }

    private static void ConfigureMonitoring(ModelBuilder builder)
    {
        builder.Entity<MonitorDevice>(e =>
        {
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.DeviceKey).HasMaxLength(300).IsRequired();
            e.HasIndex(d => d.DeviceKey).IsUnique();
            e.Property(d => d.Description).HasMaxLength(200);
            e.HasOne<Chair>().WithMany().HasForeignKey(d => d.ChairId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SessionEventRow>(e =>
        {
            e.ToTable("session_events");
            e.HasKey(x => new { x.SessionId, x.Sequence });
            e.Property(x => x.Kind).HasMaxLength(40).IsRequired();
            e.Property(x => x.Payload).IsRequired();
            e.Property(x => x.ActorId).HasMaxLength(450).IsRequired();
            e.Property(x => x.ActorName).HasMaxLength(200).IsRequired();
            e.Property(x => x.ActorRole).HasMaxLength(20).IsRequired();
            e.Property(x => x.SettingsVersion).HasMaxLength(64);
            e.HasOne<TreatmentSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SessionSettingsVersion>(e =>
        {
            e.ToTable("session_settings_versions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Settings).IsRequired();
        });

        builder.Entity<VitalSignRecord>(e =>
        {
            e.ToTable("vital_signs");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.Kind).HasMaxLength(40).IsRequired();
            e.Property(v => v.Value).HasPrecision(7, 2);
            e.Property(v => v.Unit).HasMaxLength(20).IsRequired();
            e.Property(v => v.Source).HasMaxLength(20).IsRequired();
            e.Property(v => v.DeviceKey).HasMaxLength(300);
            e.Property(v => v.ResultStatus).HasMaxLength(2).IsRequired();
            e.Property(v => v.RecordedBy).HasMaxLength(450).IsRequired();
            // The table's foreign key to patients is in the migrations, not in the model: EF would declare an index for
            // it, and vital signs are found by session (migration V12 dropped the index by patient).
            e.HasIndex(v => new { v.SessionId, v.ObservedAt });
        });

        builder.Entity<Hl7InboundMessage>(e =>
        {
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever();
            e.Property(m => m.SendingApplication).HasMaxLength(227).IsRequired();
            e.Property(m => m.SendingFacility).HasMaxLength(227).IsRequired();
            e.Property(m => m.ControlId).HasMaxLength(199).IsRequired();
            e.Property(m => m.MessageType).HasMaxLength(20).IsRequired();
            e.Property(m => m.RemoteAddress).HasMaxLength(64);
            e.Property(m => m.DeviceKey).HasMaxLength(300);
            e.Property(m => m.AckCode).HasMaxLength(2).IsRequired();
            e.Property(m => m.Error).HasMaxLength(500);
            // Control id first: the intake looks a batch up by control id (migration V10).
            e.HasIndex(m => new { m.ControlId, m.SendingApplication, m.SendingFacility }).IsUnique().HasDatabaseName("ix_hl7_inbound_messages_resend");
            e.HasIndex(m => m.ReceivedAt);
        });
    }

    private static void ConfigureEvaluation(ModelBuilder builder)
    {
        builder.Entity<ConsultationLead>(e =>
        {
            e.HasKey(l => l.Id);
            e.Property(l => l.Id).ValueGeneratedNever();
            e.Property(l => l.Channel).HasMaxLength(10).IsRequired();
            e.Property(l => l.GivenName).HasMaxLength(PatientRules.NameMax).IsRequired();
            e.Property(l => l.FamilyName).HasMaxLength(PatientRules.NameMax).IsRequired();
            e.Property(l => l.Phone).HasMaxLength(32);
            e.Property(l => l.Email).HasMaxLength(254);
            e.Property(l => l.PreferredContactTimes).HasMaxLength(200);
            e.Property(l => l.TriedSoFar).HasMaxLength(2000);
            e.Property(l => l.HeardAbout).HasMaxLength(200);
            e.Property(l => l.Status).HasMaxLength(20).IsRequired();
            e.Property(l => l.DeclineReason).HasMaxLength(500);
            e.Property(l => l.Note).HasMaxLength(1000);
            e.Property(l => l.StatusChangedByName).HasMaxLength(256);
            e.Property(l => l.EnteredBy).HasMaxLength(450);
            e.Property(l => l.EnteredByName).HasMaxLength(256);
            e.HasIndex(l => new { l.Status, l.ReceivedAt });
        });

        builder.Entity<ConsultationAppointment>(e =>
        {
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Mode).HasMaxLength(20).IsRequired();
            e.Property(a => a.PhysicianId).HasMaxLength(450).IsRequired();
            e.Property(a => a.PhysicianName).HasMaxLength(256).IsRequired();
            e.Property(a => a.Status).HasMaxLength(20).IsRequired();
            e.Property(a => a.CreatedBy).HasMaxLength(450).IsRequired();
            e.Property(a => a.CreatedByName).HasMaxLength(256).IsRequired();
            e.HasOne<Patient>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => new { a.PatientId, a.StartsAt });
            e.HasIndex(a => new { a.PhysicianId, a.StartsAt });
        });

        builder.Entity<PreScreeningSubmission>(e =>
        {
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Answers).IsRequired();
            e.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(s => new { s.PatientId, s.SubmittedAt });
        });

        builder.Entity<ClinicalEvaluation>(e =>
        {
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.Status).HasMaxLength(20).IsRequired();
            e.Property(v => v.Form).IsRequired();
            e.Property(v => v.CreatedBy).HasMaxLength(450).IsRequired();
            e.Property(v => v.CreatedByName).HasMaxLength(256).IsRequired();
            e.Property(v => v.SupportDecision).HasMaxLength(20);
            e.Property(v => v.FinalDecision).HasMaxLength(20);
            e.Property(v => v.SignOffOutcome).HasMaxLength(20);
            e.Property(v => v.SignOffReason).HasMaxLength(2000);
            e.Property(v => v.SignedBy).HasMaxLength(450);
            e.Property(v => v.SignedByName).HasMaxLength(256);
            e.HasOne<Patient>().WithMany().HasForeignKey(v => v.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(v => new { v.PatientId, v.CreatedAt });
        });

        builder.Entity<EvaluationAddendum>(e =>
        {
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Text).HasMaxLength(4000).IsRequired();
            e.Property(a => a.AuthorId).HasMaxLength(450).IsRequired();
            e.Property(a => a.AuthorName).HasMaxLength(256).IsRequired();
            e.HasOne<ClinicalEvaluation>().WithMany().HasForeignKey(a => a.EvaluationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => new { a.EvaluationId, a.CreatedAt });
        });

        builder.Entity<ConsentRecord>(e =>
        {
            e.ToTable("consents");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Route).HasMaxLength(30).IsRequired();
            e.Property(c => c.DocumentVersion).HasMaxLength(40).IsRequired();
            e.Property(c => c.DocumentTitle).HasMaxLength(200).IsRequired();
            e.Property(c => c.DocumentHash).HasMaxLength(64).IsRequired();
            e.Property(c => c.DocumentText).IsRequired();
            e.Property(c => c.Status).HasMaxLength(30).IsRequired();
            e.Property(c => c.PatientTypedName).HasMaxLength(210).IsRequired();
            e.Property(c => c.PatientSignature).IsRequired();
            e.Property(c => c.PresentedBy).HasMaxLength(450).IsRequired();
            e.Property(c => c.PresentedByName).HasMaxLength(256).IsRequired();
            e.Property(c => c.CountersignedBy).HasMaxLength(450);
            e.Property(c => c.CountersignedByName).HasMaxLength(256);
            e.Property(c => c.RemsEnrolmentId).HasMaxLength(40);
            e.Property(c => c.WithdrawnByName).HasMaxLength(256);
            e.Property(c => c.WithdrawalReason).HasMaxLength(1000);
            e.HasOne<Patient>().WithMany().HasForeignKey(c => c.PatientId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.PatientId, c.Route });
        });
    }

    private static void ConfigureLedger(ModelBuilder builder)
    {
        builder.Entity<DeaRegistrationRow>(e =>
        {
            e.ToTable("dea_registrations");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Number).HasMaxLength(9).IsRequired();
            e.Property(r => r.RegistrantName).HasMaxLength(200).IsRequired();
            e.Property(r => r.RegistrantUserId).HasMaxLength(450);
            e.Property(r => r.Schedules).HasMaxLength(40).IsRequired();
            e.Property(r => r.CreatedBy).HasMaxLength(450).IsRequired();
            e.HasOne<Location>().WithMany().HasForeignKey(r => r.LocationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => r.LocationId);
        });

        builder.Entity<StorageLocationRow>(e =>
        {
            e.ToTable("storage_locations");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Name).HasMaxLength(100).IsRequired();
            e.Property(s => s.Kind).HasMaxLength(20).IsRequired();
            e.Property(s => s.CreatedBy).HasMaxLength(450).IsRequired();
            e.HasOne<Location>().WithMany().HasForeignKey(s => s.LocationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(s => new { s.LocationId, s.Name }).IsUnique();
        });

        builder.Entity<ControlledProductRow>(e =>
        {
            e.ToTable("controlled_products");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.Drug).HasMaxLength(40).IsRequired();
            e.Property(p => p.Form).HasMaxLength(20).IsRequired();
            e.Property(p => p.Ndc).HasMaxLength(13).IsRequired();
            e.Property(p => p.DeaDrugCode).HasMaxLength(4).IsRequired();
            e.Property(p => p.CreatedBy).HasMaxLength(450).IsRequired();
        });

        builder.Entity<LedgerEntryRow>(e =>
        {
            e.ToTable("ledger_entries");
            e.HasKey(l => l.Sequence);
            e.Property(l => l.Sequence).ValueGeneratedNever();
            e.Property(l => l.RecordedBy).HasMaxLength(450).IsRequired();
            e.Property(l => l.Kind).HasMaxLength(40).IsRequired();
            e.Property(l => l.Payload).IsRequired();
            e.Property(l => l.PreviousHash).HasMaxLength(64).IsRequired();
            e.Property(l => l.Hash).HasMaxLength(64).IsRequired();
            e.HasIndex(l => l.RecordedAt);
        });

        builder.Entity<LedgerChainHead>(e =>
        {
            e.ToTable("ledger_chain_heads");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).ValueGeneratedNever();
            e.Property(h => h.LastHash).HasMaxLength(64).IsRequired();
        });

        builder.Entity<LedgerAlertAcknowledgement>(e =>
        {
            e.ToTable("ledger_alert_acknowledgements");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.AlertKey).HasMaxLength(120).IsRequired();
            e.Property(a => a.AcknowledgedBy).HasMaxLength(450).IsRequired();
            e.Property(a => a.AcknowledgedByName).HasMaxLength(256).IsRequired();
            e.Property(a => a.Reason).HasMaxLength(1000).IsRequired();
            e.HasIndex(a => a.AlertKey).IsUnique();
        });
    }

    /// <summary>snake_case names everywhere so hand-written SQL reads the same on SQLite and PostgreSQL.</summary>
    private static void ApplySnakeCaseNames(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null)
            {
                continue;
            }
            entity.SetTableName(ToSnake(table));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnake(property.GetColumnName()));
            }
            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnake(key.GetName()!));
            }
            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(ToSnake(fk.GetConstraintName()!));
            }
            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnake(index.GetDatabaseName()!));
            }
        }
    }

    internal static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}

/// <summary>DateTimeOffset stored as UTC ticks (SQLite); read back as UTC.</summary>
internal sealed class DateTimeOffsetToUtcTicksConverter()
    : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
