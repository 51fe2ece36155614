using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Patients;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>
/// Consultation requests: from the public page (no account, rate-limited, size-limited, with a honeypot) or taken by
/// phone; the front desk's queue; and the step that turns a lead into a registered patient with a booked consultation.
/// </summary>
public sealed partial class ConsultationRequests(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ClinicEvaluationRules rules,
    PatientRegistry registry,
    ILogger<ConsultationRequests> logger)
{
    public const string LeadRecord = "consultation-lead";
    public const string ConsultationRecord = "consultation";

    public static readonly IReadOnlyList<string> Statuses = ["new", "contacted", "converted", "declined"];
    public static readonly IReadOnlyList<string> Modes = ["in-person", "video", "phone"];

    /// <summary>Said to everyone who sends the form, including bots caught by the honeypot, so they learn nothing.</summary>
    public const string ThankYou = "Thank you. Your request has reached the clinic; someone from our front desk will contact you, at the times you gave if you gave any.";

    private const int MaxBookingDaysAhead = 365;

    public async Task<Result<PublicRequestReceipt>> SubmitPublicAsync(PublicConsultationRequest request, string? remoteAddress, CancellationToken ct)
    {
        if (request is null)
        {
            return Result<PublicRequestReceipt>.Invalid("body", "is required.");
        }
        var actor = new Actor("public-request", "Consultation request (public page)", ["Public"], remoteAddress);
        if (!string.IsNullOrWhiteSpace(request.Website))
        {
            // A field people never see was filled in: a bot. Answer as usual, store nothing, keep a trace.
            LogHoneypot(logger, remoteAddress ?? "unknown");
            await using var trace = await dbFactory.CreateDbContextAsync(ct);
            await using var traceTx = await AuditTrail.BeginAsync(trace, ct);
            await audit.RecordAsync(trace, actor, "discarded", LeadRecord, null, null, new { reason = "honeypot" }, ct);
            await trace.SaveChangesAsync(ct);
            await traceTx.CommitAsync(ct);
            return Result<PublicRequestReceipt>.Ok(new PublicRequestReceipt(ThankYou));
        }
        var v = new Validator();
        var lead = Validate(v, request.GivenName, request.FamilyName, request.Phone, request.Email, request.PreferredContactTimes, request.TriedSoFar, request.HeardAbout);
        if (!v.IsValid)
        {
            return Result<PublicRequestReceipt>.Invalid(v.Errors);
        }
        lead.Channel = "web";
        await SaveNewAsync(lead, actor, ct);
        return Result<PublicRequestReceipt>.Ok(new PublicRequestReceipt(ThankYou));
    }

    public async Task<Result<LeadView>> CreatePhoneAsync(PhoneConsultationRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LeadsManage))
        {
            return Result<LeadView>.Forbidden();
        }
        if (request is null)
        {
            return Result<LeadView>.Invalid("body", "is required.");
        }
        var v = new Validator();
        var lead = Validate(v, request.GivenName, request.FamilyName, request.Phone, request.Email, request.PreferredContactTimes, request.TriedSoFar, request.HeardAbout);
        lead.Note = v.MultilineText("note", request.Note, 1000, required: false);
        if (!v.IsValid)
        {
            return Result<LeadView>.Invalid(v.Errors);
        }
        lead.Channel = "phone";
        lead.EnteredBy = actor.UserId;
        lead.EnteredByName = actor.UserName;
        await SaveNewAsync(lead, actor, ct);
        return Result<LeadView>.Ok(ToView(lead));
    }

    /// <summary>The queue. <paramref name="status"/>: open (new and contacted, the default), all, or one status.</summary>
    public async Task<Result<IReadOnlyList<LeadView>>> ListAsync(string? status, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LeadsManage))
        {
            return Result<IReadOnlyList<LeadView>>.Forbidden();
        }
        var filter = string.IsNullOrWhiteSpace(status) ? "open" : status.Trim().ToLowerInvariant();
        if (filter is not ("open" or "all") && !Statuses.Contains(filter))
        {
            return Result<IReadOnlyList<LeadView>>.Invalid("status", $"must be open, all, or one of {string.Join(", ", Statuses)}.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var q = db.ConsultationLeads.AsNoTracking();
        q = filter switch
        {
            "open" => q.Where(l => l.Status == "new" || l.Status == "contacted"),
            "all" => q,
            _ => q.Where(l => l.Status == filter),
        };
        var leads = await q.OrderBy(l => l.ReceivedAt).Take(500).ToListAsync(ct);
        await audit.RecordAsync(db, actor, AuditActions.Search, LeadRecord, null, null, new { status = filter, results = leads.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<LeadView>>.Ok(leads.Select(ToView).ToList());
    }

    public async Task<Result<LeadView>> GetAsync(Guid leadId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LeadsManage))
        {
            return Result<LeadView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var lead = await db.ConsultationLeads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null)
        {
            return Result<LeadView>.NotFound($"No consultation request with id {leadId}.");
        }
        await audit.RecordAsync(db, actor, AuditActions.Read, LeadRecord, lead.Id.ToString(), lead.PatientId, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<LeadView>.Ok(ToView(lead));
    }

    public async Task<Result<LeadView>> ChangeStatusAsync(Guid leadId, LeadStatusRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LeadsManage))
        {
            return Result<LeadView>.Forbidden();
        }
        var v = new Validator();
        var status = request?.Status?.Trim().ToLowerInvariant();
        if (status is not ("new" or "contacted" or "declined"))
        {
            v.Add("status", "must be new, contacted or declined (a lead becomes converted by registering the patient).");
        }
        var reason = v.MultilineText("reason", request?.Reason, 500, required: status == "declined");
        var note = v.MultilineText("note", request?.Note, 1000, required: false);
        if (!v.IsValid)
        {
            return Result<LeadView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var lead = await db.ConsultationLeads.SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null)
        {
            return Result<LeadView>.NotFound($"No consultation request with id {leadId}.");
        }
        if (lead.Status == "converted")
        {
            return Result<LeadView>.Conflict("This request was converted into a patient and a booking; it no longer changes.");
        }
        var before = lead.Status;
        lead.Status = status!;
        lead.DeclineReason = status == "declined" ? reason : null;
        lead.Note = note ?? lead.Note;
        lead.StatusChangedAt = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        lead.StatusChangedByName = actor.UserName;
        await audit.RecordAsync(db, actor, AuditActions.Update, LeadRecord, lead.Id.ToString(), null, new { from = before, to = status, reason }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<LeadView>.Ok(ToView(lead));
    }

    /// <summary>Registers the lead as a patient and books the consultation: both, or nothing.</summary>
    public async Task<Result<ConversionResult>> ConvertAsync(Guid leadId, ConvertLeadRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LeadsManage) || !actor.Can(Permissions.PatientsWrite))
        {
            return Result<ConversionResult>.Forbidden();
        }
        var now = clock.GetUtcNow();
        var v = new Validator();
        if (request?.Patient is null)
        {
            v.Add("patient", "is required: the patient's details as they will be registered.");
        }
        else
        {
            foreach (var error in PatientRules.Validate(request.Patient, clinic.Today(clock)).Errors)
            {
                v.Add($"patient.{error.Field}", error.Message);
            }
        }
        var booking = ValidateBooking(v, request?.Consultation, now);
        if (!v.IsValid)
        {
            return Result<ConversionResult>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var lead = await db.ConsultationLeads.SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null)
        {
            return Result<ConversionResult>.NotFound($"No consultation request with id {leadId}.");
        }
        if (lead.Status is "converted" or "declined")
        {
            return Result<ConversionResult>.Conflict(lead.Status == "converted"
                ? "This request was already converted into a patient and a booking."
                : "This request was declined; set it back to new before registering the patient.");
        }
        var physician = await PhysicianAsync(db, booking.PhysicianId, ct);
        if (physician is null)
        {
            return Result<ConversionResult>.Invalid("consultation.physicianId", "is not an active physician of the clinic.");
        }
        var locationId = booking.LocationId;
        if (booking.Mode == "in-person")
        {
            locationId ??= await db.Locations.AsNoTracking().OrderBy(l => l.Name).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
            if (locationId is null || !await db.Locations.AnyAsync(l => l.Id == locationId, ct))
            {
                return Result<ConversionResult>.Invalid("consultation.locationId", "is not a location of the clinic.");
            }
        }
        if (await OverlapAsync(db, physician.Id, booking.StartsAt, booking.Minutes, ct) is { } clash)
        {
            var local = clinic.ToClinicTime(clash.StartsAt);
            return Result<ConversionResult>.Invalid("consultation.startsAt",
                $"{physician.Name} already has a consultation from {local.ToString("HH:mm", CultureInfo.InvariantCulture)} to {local.AddMinutes(clash.DurationMinutes).ToString("HH:mm", CultureInfo.InvariantCulture)} that day; choose another time.");
        }
        var added = await registry.AddPatientAsync(db, request!.Patient!, actor, new { lead = lead.Id }, ct);
        if (!added.IsOk)
        {
            return new Result<ConversionResult>(added.Status, null, added.Errors.Select(e => e with { Field = "patient." + e.Field }).ToList(), added.Message);
        }
        var patient = added.Value!;
        var consultation = new ConsultationAppointment
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.Id,
            LeadId = lead.Id,
            StartsAt = AuditTrail.TruncateToMicroseconds(booking.StartsAt.ToUniversalTime()),
            DurationMinutes = booking.Minutes,
            Mode = booking.Mode,
            PhysicianId = physician.Id,
            PhysicianName = physician.Name,
            LocationId = booking.Mode == "in-person" ? locationId : null,
            CreatedAt = AuditTrail.TruncateToMicroseconds(now),
            CreatedBy = actor.UserId,
            CreatedByName = actor.UserName,
        };
        db.ConsultationAppointments.Add(consultation);
        lead.Status = "converted";
        lead.PatientId = patient.Id;
        lead.ConsultationId = consultation.Id;
        lead.StatusChangedAt = AuditTrail.TruncateToMicroseconds(now);
        lead.StatusChangedByName = actor.UserName;
        await audit.RecordAsync(db, actor, AuditActions.Update, LeadRecord, lead.Id.ToString(), patient.Id, new { to = "converted", patient = patient.Id }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, ConsultationRecord, consultation.Id.ToString(), patient.Id,
            new { consultation.StartsAt, consultation.DurationMinutes, consultation.Mode, consultation.PhysicianId }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ConversionResult>.Ok(new ConversionResult(lead.Id, patient.Id, patient.Mrn, ToView(consultation, patient.DisplayName, patient.Mrn)));
    }

    /// <summary>Physicians who can be booked.</summary>
    public async Task<Result<IReadOnlyList<PhysicianChoice>>> PhysiciansAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LeadsManage))
        {
            return Result<IReadOnlyList<PhysicianChoice>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Result<IReadOnlyList<PhysicianChoice>>.Ok((await Physicians(db).ToListAsync(ct)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>Booked consultations from today on (clinic time), for the front desk and the clinicians.</summary>
    public async Task<Result<IReadOnlyList<ConsultationView>>> UpcomingAsync(int days, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PatientsRead))
        {
            return Result<IReadOnlyList<ConsultationView>>.Forbidden();
        }
        if (days is < 1 or > 366)
        {
            return Result<IReadOnlyList<ConsultationView>>.Invalid("days", "must be between 1 and 366.");
        }
        var from = clinic.StartOfDay(clinic.Today(clock));
        var to = from.AddDays(days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var rows = await db.ConsultationAppointments.AsNoTracking()
            .Where(c => c.Status == "booked" && c.StartsAt >= from && c.StartsAt < to)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { c, p.LegalGivenName, p.LegalFamilyName, p.PreferredName, p.Mrn })
            .OrderBy(x => x.c.StartsAt).Take(500).ToListAsync(ct);
        var views = rows.Select(x => ToView(x.c, $"{x.PreferredName ?? x.LegalGivenName} {x.LegalFamilyName}", x.Mrn)).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Search, ConsultationRecord, null, null, new { days, results = views.Count, patientIds = views.Select(c => c.PatientId).Distinct() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<ConsultationView>>.Ok(views);
    }

    internal static ConsultationView ToView(ConsultationAppointment c, string patientName, string mrn) =>
        new(c.Id, c.PatientId, patientName, mrn, c.StartsAt, c.DurationMinutes, c.Mode, c.PhysicianId, c.PhysicianName, c.LocationId, c.Status);

    internal static LeadView ToView(ConsultationLead l) =>
        new(l.Id, l.ReceivedAt, l.Channel, l.GivenName, l.FamilyName, l.Phone, l.Email, l.PreferredContactTimes, l.TriedSoFar, l.HeardAbout,
            l.Status, l.DeclineReason, l.Note, l.StatusChangedAt, l.StatusChangedByName, l.EnteredByName, l.PatientId, l.ConsultationId);

    private ConsultationLead Validate(Validator v, string? given, string? family, string? phone, string? email, string? times, string? tried, string? heard)
    {
        var lead = new ConsultationLead
        {
            GivenName = v.Text("givenName", given, PatientRules.NameMax, required: true) ?? string.Empty,
            FamilyName = v.Text("familyName", family, PatientRules.NameMax, required: true) ?? string.Empty,
            Phone = v.Phone("phone", phone, required: false),
            Email = v.Email("email", email, required: false),
            PreferredContactTimes = v.Text("preferredContactTimes", times, 200, required: false),
            TriedSoFar = v.MultilineText("triedSoFar", tried, 2000, required: false),
            HeardAbout = v.Text("heardAbout", heard, 200, required: false),
        };
        if (lead.Phone is null && lead.Email is null && v.Errors.All(e => e.Field is not ("phone" or "email")))
        {
            v.Add("phone", "give a phone number or an email address so the clinic can reach you.");
        }
        var now = clock.GetUtcNow();
        lead.Id = Guid.CreateVersion7(now);
        lead.ReceivedAt = AuditTrail.TruncateToMicroseconds(now);
        return lead;
    }

    private async Task SaveNewAsync(ConsultationLead lead, Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        db.ConsultationLeads.Add(lead);
        await audit.RecordAsync(db, actor, AuditActions.Create, LeadRecord, lead.Id.ToString(), null, new { lead.Channel }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private sealed record Booking(DateTimeOffset StartsAt, int Minutes, string Mode, string PhysicianId, Guid? LocationId);

    private Booking ValidateBooking(Validator v, BookConsultationRequest? request, DateTimeOffset now)
    {
        if (request is null)
        {
            v.Add("consultation", "is required: when, how long, how and with which physician.");
            return new Booking(now, 0, string.Empty, string.Empty, null);
        }
        if (request.StartsAt is not { } starts)
        {
            v.Add("consultation.startsAt", "is required.");
        }
        else if (starts < now.AddMinutes(-15))
        {
            v.Add("consultation.startsAt", "must not be in the past.");
        }
        else if (starts > now.AddDays(MaxBookingDaysAhead))
        {
            v.Add("consultation.startsAt", $"must be within {MaxBookingDaysAhead} days.");
        }
        var minutes = request.DurationMinutes ?? rules.Settings.ConsultationMinutes;
        if (minutes is < 15 or > 240)
        {
            v.Add("consultation.durationMinutes", "must be between 15 and 240 minutes.");
        }
        var mode = string.IsNullOrWhiteSpace(request.Mode) ? "in-person" : request.Mode.Trim().ToLowerInvariant();
        if (!Modes.Contains(mode))
        {
            v.Add("consultation.mode", $"must be one of {string.Join(", ", Modes)}.");
        }
        var physicianId = v.Text("consultation.physicianId", request.PhysicianId, 450, required: true);
        return new Booking(request.StartsAt ?? now, minutes, mode, physicianId ?? string.Empty, request.LocationId);
    }

    private static IQueryable<PhysicianChoice> Physicians(ClinicDbContext db, string? id = null) =>
        from u in db.Users
        join ur in db.UserRoles on u.Id equals ur.UserId
        join r in db.Roles on ur.RoleId equals r.Id
        where r.Name == ClinicRoles.Physician && u.IsActive && (id == null || u.Id == id)
        select new PhysicianChoice(u.Id, u.DisplayName);

    private static Task<PhysicianChoice?> PhysicianAsync(ClinicDbContext db, string id, CancellationToken ct) =>
        Physicians(db, id).FirstOrDefaultAsync(ct);

    private static async Task<ConsultationAppointment?> OverlapAsync(ClinicDbContext db, string physicianId, DateTimeOffset start, int minutes, CancellationToken ct)
    {
        // Consultations are at most four hours long, so only those starting in the four hours before can overlap.
        var from = start.ToUniversalTime().AddHours(-4);
        var to = start.ToUniversalTime().AddMinutes(minutes);
        var nearby = await db.ConsultationAppointments.AsNoTracking()
            .Where(c => c.PhysicianId == physicianId && c.Status == "booked" && c.StartsAt > from && c.StartsAt < to)
            .ToListAsync(ct);
        return nearby.FirstOrDefault(c => c.StartsAt.AddMinutes(c.DurationMinutes) > start);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consultation request from {Address} discarded: the honeypot field was filled in (automated submission).")]
    private static partial void LogHoneypot(ILogger logger, string address);
}
