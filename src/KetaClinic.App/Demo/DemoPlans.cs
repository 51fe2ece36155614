using KetaClinic.App.Data;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Features.Plans;
using KetaClinic.App.Features.Scheduling;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Patients;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.App.Demo;

/// <summary>
/// The demo clinic's scheduling resources and treatment plans: opening hours, nurse shifts and appointment types; a
/// plan (protocol default dose, started through <see cref="DoseOrder"/>) for every demo course with a signed
/// evaluation, in the phase its completed sessions reached; chairs for upcoming sessions; and a patient who is
/// eligible and consented but has no plan yet, for a newcomer to plan and book.
/// </summary>
internal sealed class DemoPlans(ProtocolLibrary protocols, ClinicSettings clinic, Func<int, Guid> ids)
{
    public const string NewcomerGivenName = "Nora";
    public const string NewcomerFamilyName = "Planwell";

    private int _n;

    private Guid NextId() => ids(_n++);

    public IEnumerable<OpeningHoursRow> OpeningHours(Guid locationId) =>
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new OpeningHoursRow { Id = NextId(), LocationId = locationId, DayOfWeek = d, OpensMinute = 8 * 60, ClosesMinute = 18 * 60 }).ToList();

    /// <summary>Both demo nurses on weekdays from a month back to four months ahead, 07:30–18:00.</summary>
    public IEnumerable<NurseShiftRow> Shifts(Guid locationId, IEnumerable<(string Id, string Name)> nurses, DateOnly today)
    {
        var rows = new List<NurseShiftRow>();
        foreach (var (id, name) in nurses)
        {
            for (var day = today.AddDays(-30); day <= today.AddDays(120); day = day.AddDays(1))
            {
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }
                rows.Add(new NurseShiftRow { Id = NextId(), LocationId = locationId, NurseId = id, NurseName = name, Day = day, StartMinute = (7 * 60) + 30, EndMinute = 18 * 60 });
            }
        }
        return rows;
    }

    public IEnumerable<AppointmentTypeRow> AppointmentTypes() =>
    [
        new() { Id = NextId(), Code = "consultation", Name = "Consultation", Minutes = 45 },
        new() { Id = NextId(), Code = "evaluation", Name = "Comprehensive evaluation", Minutes = 90 },
        new() { Id = NextId(), Code = "therapy", Name = "Individual therapy", Minutes = 50 },
        new() { Id = NextId(), Code = "group", Name = "Group therapy", Minutes = 90 },
        new() { Id = NextId(), Code = "iop-block", Name = "Intensive outpatient (IOP) block", Minutes = 180 },
    ];

    /// <summary>
    /// A plan for a demo course, consistent with its sessions: the phase its completed sessions reached, the sessions
    /// tagged with their phase and given an end; upcoming sessions get a free chair with the protocol's equipment.
    /// </summary>
    public (TreatmentPlanRow Plan, DoseOrderRow Order)? PlanFor(TreatmentCourse course, List<TreatmentSession> sessions, (string Id, string Name) physician)
    {
        var protocol = protocols.Find(course.ProtocolCode);
        if (protocol is null)
        {
            return null;
        }
        var order = DoseOrder.Start(protocol, null, physician.Id, course.CreatedAt.AddMinutes(120), $"starting dose of {protocol.Name}");
        var plan = new TreatmentPlanRow
        {
            Id = NextId(), CourseId = course.Id, PatientId = course.PatientId, ProtocolId = protocol.Id, ProtocolVersion = protocol.Version,
            Status = course.Status is "completed" or "stopped" ? "closed" : "active",
            CreatedAt = course.CreatedAt.AddMinutes(120), CreatedBy = physician.Id, CreatedByName = physician.Name, UpdatedAt = course.CreatedAt.AddMinutes(120),
        };
        var number = 0;
        var phases = protocol.SeriesPhases.Select(p => (Phase: (TreatmentPhase)p, Count: p.Sessions.Value)).ToList();
        foreach (var session in sessions.OrderBy(s => s.SequenceNumber))
        {
            number++;
            var seen = 0;
            TreatmentPhase phase = protocol.Maintenance;
            foreach (var (p, count) in phases)
            {
                seen += count;
                if (number <= seen)
                {
                    phase = p;
                    break;
                }
            }
            session.PlanId = plan.Id;
            session.PhaseId = phase.Id;
            session.SeriesId = phase is SeriesPhase ? $"{plan.Id:N}-{phase.Id}" : null;
            session.ScheduledEnd = session.ScheduledStart.AddMinutes(protocol.Timing.AppointmentMinutes);
        }
        var done = sessions.Count(s => s.Status == "completed");
        var current = sessions.Where(s => s.Status != "completed").Select(s => s.PhaseId).FirstOrDefault()
            ?? sessions.LastOrDefault()?.PhaseId ?? protocol.SeriesPhases[0].Id;
        plan.PhaseId = current;
        plan.PlannedSessions = protocol.Phase(current) is SeriesPhase sp ? sp.Sessions.Value : 0;
        plan.IntervalDays = protocol.Phase(current) is MaintenancePhase m ? m.IntervalsDays.Value[0] : null;
        _ = done;
        return (plan, TreatmentPlans.Row(plan.Id, order.Current, physician.Name));
    }

    /// <summary>Gives every upcoming session a chair with its protocol's equipment that is free at that time (first fit).</summary>
    public void AssignChairs(IReadOnlyList<Data.Chair> chairs, IEnumerable<(TreatmentSession Session, string ProtocolCode)> upcoming)
    {
        var taken = new List<(Guid Chair, DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var (session, code) in upcoming.OrderBy(u => u.Session.ScheduledStart))
        {
            var protocol = protocols.Find(code);
            var end = session.ScheduledEnd ?? session.ScheduledStart.AddMinutes(protocol?.Timing.AppointmentMinutes ?? ClinicCalendarBuilder.UnknownProtocolMinutes);
            session.ScheduledEnd = end;
            var needs = protocol?.RequiredEquipment.Value ?? [];
            var chair = chairs.Where(c => needs.All(ClinicCalendarBuilder.Equipment(c).Contains))
                .OrderBy(c => c.HasInfusionPump && !needs.Contains(ClinicCalendarBuilder.InfusionPump) ? 1 : 0)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .FirstOrDefault(c => !taken.Any(t => t.Chair == c.Id && t.Start < end && session.ScheduledStart < t.End));
            if (chair is not null)
            {
                session.ChairId = chair.Id;
                taken.Add((chair.Id, session.ScheduledStart, end));
            }
        }
    }

    /// <summary>
    /// A patient with a signed eligible evaluation and a countersigned IV consent, a recent weight and a baseline PHQ-9,
    /// and no course or plan: the newcomer plans and books her induction series.
    /// </summary>
    public (Patient Patient, InstrumentResponse Baseline, ClinicalEvaluation Evaluation, ConsentRecord Consent) Newcomer(
        DemoEvaluations evaluations, InstrumentCatalog catalog, HashSet<string> mrns, Random random, Guid locationId, DateTimeOffset now,
        (string Id, string Name) physician, (string Id, string Name) nurse)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentNullException.ThrowIfNull(mrns);
        var today = DateOnly.FromDateTime(clinic.ToClinicTime(now).DateTime);
        var details = new PatientDetails
        {
            LegalGivenName = NewcomerGivenName,
            LegalFamilyName = NewcomerFamilyName,
            DateOfBirth = new DateOnly(1984, 5, 12),
            Sex = "female",
            Phone = "+1 217 555 0188",
            Email = "nora.planwell@example.org",
            AddressLine1 = "12 Elm Street",
            City = "Springfield",
            Region = "IL",
            PostalCode = "62704",
            CompanionName = "Tom Planwell",
            CompanionPhone = "+1 217 555 0189",
        };
        var (demographics, errors) = PatientRules.Validate(details, today);
        if (demographics is null)
        {
            throw new InvalidOperationException("Demo newcomer failed validation: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        }
        string mrn;
        do
        {
            mrn = Mrn.Random(random);
        }
        while (!mrns.Add(mrn));
        var registered = now.AddDays(-10);
        var patient = Patient.Register(NextId(), mrn, demographics, registered);
        patient.AddDiagnosis(NextId(), "F33.2", "Major depressive disorder, recurrent severe without psychotic features", today.AddYears(-3), today, physician.Id, registered);
        patient.RecordHeight(NextId(), new HeightCm(168m), now.AddDays(-3), MeasurementLimits.Default, nurse.Id, now.AddDays(-3));
        patient.RecordWeight(NextId(), new WeightKg(71.4m), now.AddDays(-3), MeasurementLimits.Default, nurse.Id, now.AddDays(-3));
        var baseline = DemoTreatmentHistory.Response(catalog.Get("phq9"), patient.Id, NextId(), 19, now.AddDays(-3), ideation: false);
        var course = new TreatmentCourse { Id = NextId(), PatientId = patient.Id, LocationId = locationId, Route = "iv", ProtocolCode = "iv-racemic-ketamine", CreatedAt = now.AddDays(-3) };
        var history = new DemoTreatmentHistory.History(course, [], [baseline], [], DemoTreatmentHistory.Trajectory.Responder);
        // The demo's evaluation draws a treatment history at random; draw until it is an eligible one.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (evaluations.ForCourse(patient, history, physician, nurse) is { } signed)
            {
                return (patient, baseline, signed.Evaluation, signed.Consent);
            }
        }
        throw new InvalidOperationException("The demo newcomer's evaluation never came out eligible.");
    }
}
