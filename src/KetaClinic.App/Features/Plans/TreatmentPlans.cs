using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Outcomes;
using KetaClinic.Domain.Patients;
using KetaClinic.Domain.Protocols;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Plans;

/// <summary>
/// Treatment plans: one per course, on a protocol of the clinic's library, with the physician's versioned dose order
/// (<see cref="DoseOrder"/>). A plan needs the treatment readiness of its route (a current eligibility decision and a
/// consent, <see cref="TreatmentReadiness"/>); only physicians create plans and order doses. Every read and write is
/// audited in its own transaction.
/// </summary>
public sealed class TreatmentPlans(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ProtocolLibrary protocols,
    DosingSettings dosing,
    MaintenanceSettings maintenance,
    TreatmentReadiness readiness)
{
    public const string RecordType = "treatment-plan";
    public const string DoseOrderRecord = "dose-order";
    public const string DecisionRecord = "plan-decision";

    public ProtocolLibrary Library => protocols;

    public async Task<Result<PatientPlansView>> PatientAsync(Guid patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PlansRead))
        {
            return Result<PatientPlansView>.Forbidden();
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == patientId)
            .Select(p => new { p.Id, p.LegalGivenName, p.LegalFamilyName, p.PreferredName }).SingleOrDefaultAsync(ct);
        if (patient is null)
        {
            return Result<PatientPlansView>.NotFound($"No patient with id {patientId}.");
        }
        var plans = await db.TreatmentPlans.AsNoTracking().Where(p => p.PatientId == patientId).OrderByDescending(p => p.CreatedAt).ToListAsync(ct);
        var views = new List<PlanView>();
        foreach (var plan in plans)
        {
            views.Add(await ViewAsync(db, plan, now, ct));
        }
        var planned = plans.Select(p => p.CourseId).ToList();
        var courses = await db.TreatmentCourses.AsNoTracking().Where(c => c.PatientId == patientId && !planned.Contains(c.Id) && c.Status != "completed" && c.Status != "stopped")
            .ToListAsync(ct);
        var today = clinic.Today(clock);
        var gaps = new Dictionary<string, IReadOnlyList<ReadinessGapView>>(StringComparer.Ordinal);
        foreach (var route in protocols.Protocols.Select(ClinicProtocols.RouteCode).Distinct(StringComparer.Ordinal))
        {
            gaps[route] = (await readiness.CheckAsync(db, patientId, route, today, ct)).Select(g => new ReadinessGapView(g.Code, g.Message)).ToList();
        }
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, null, patientId, new { plans = plans.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<PatientPlansView>.Ok(new PatientPlansView(
            patientId, $"{patient.PreferredName ?? patient.LegalGivenName} {patient.LegalFamilyName}", views,
            courses.OrderBy(c => c.CreatedAt).Select(c => new CourseChoiceView(c.Id, c.Route, c.ProtocolCode, c.Status, c.CreatedAt)).ToList(), gaps));
    }

    public async Task<Result<PlanView>> GetAsync(Guid planId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PlansRead))
        {
            return Result<PlanView>.Forbidden();
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var plan = await db.TreatmentPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Result<PlanView>.NotFound($"No treatment plan with id {planId}.");
        }
        var view = await ViewAsync(db, plan, now, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, plan.Id.ToString(), plan.PatientId, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<PlanView>.Ok(view);
    }

    public async Task<Result<PlanView>> CreateAsync(Guid patientId, CreatePlanRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PlansWrite))
        {
            return Result<PlanView>.Forbidden("Only a physician creates a treatment plan.");
        }
        var v = new Validator();
        var protocolId = v.Text("protocolId", request?.ProtocolId, 60, required: true);
        var protocol = protocolId is null ? null : protocols.Find(protocolId);
        if (protocolId is not null && protocol is null)
        {
            v.Add("protocolId", $"is not a protocol of the clinic (known: {string.Join(", ", protocols.Protocols.Select(p => p.Id))}).");
        }
        var reason = v.Text("reason", request?.Reason, DoseOrder.ReasonMaxLength, required: false);
        if (!v.IsValid)
        {
            return Result<PlanView>.Invalid(v.Errors);
        }
        var now = clock.GetUtcNow();
        var route = ClinicProtocols.RouteCode(protocol!);
        DoseOrder order;
        try
        {
            order = DoseOrder.Start(protocol!, request!.StartingDose is { } d ? new DoseAmount(protocol!.DoseBasis, d) : null, actor.UserId, now,
                reason ?? $"starting dose of {protocol!.Name}");
        }
        catch (DomainValidationException e)
        {
            return Result<PlanView>.Invalid(e.Errors.Select(x => x.Field == "dose" ? new FieldError("startingDose", x.Message) : x).ToList());
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Result<PlanView>.NotFound($"No patient with id {patientId}.");
        }
        var gaps = await readiness.CheckAsync(db, patientId, route, clinic.Today(clock), ct);
        if (gaps.Count > 0)
        {
            return Result<PlanView>.Invalid(gaps.Select(g => new FieldError("readiness", $"{g.Code}: {g.Message}")).ToList());
        }
        TreatmentCourse course;
        if (request.CourseId is { } courseId)
        {
            var existing = await db.TreatmentCourses.SingleOrDefaultAsync(c => c.Id == courseId && c.PatientId == patientId, ct);
            if (existing is null)
            {
                return Result<PlanView>.Invalid("courseId", "is not a course of this patient.");
            }
            if (existing.Route != route)
            {
                return Result<PlanView>.Invalid("protocolId", $"is for route {route}, but the course is {existing.Route}.");
            }
            if (await db.TreatmentPlans.AnyAsync(p => p.CourseId == courseId, ct))
            {
                return Result<PlanView>.Conflict("This course already has a treatment plan: order dose changes on it instead.");
            }
            existing.ProtocolCode = protocol!.Id;
            course = existing;
        }
        else
        {
            var locationId = request.LocationId ?? await db.Locations.OrderBy(l => l.Name).Select(l => l.Id).FirstOrDefaultAsync(ct);
            if (!await db.Locations.AnyAsync(l => l.Id == locationId, ct))
            {
                return Result<PlanView>.Invalid("locationId", "is not a location of the clinic.");
            }
            course = new TreatmentCourse
            {
                Id = Guid.NewGuid(), PatientId = patientId, LocationId = locationId, Route = route, ProtocolCode = protocol!.Id, Status = "planned", CreatedAt = now,
            };
            db.TreatmentCourses.Add(course);
        }
        var first = protocol!.SeriesPhases[0];
        var plan = new TreatmentPlanRow
        {
            Id = Guid.NewGuid(), CourseId = course.Id, PatientId = patientId, ProtocolId = protocol.Id, ProtocolVersion = protocol.Version,
            PhaseId = first.Id, PlannedSessions = first.Sessions.Value, Status = "active", CreatedAt = now, CreatedBy = actor.UserId,
            CreatedByName = actor.UserName, UpdatedAt = now,
        };
        db.TreatmentPlans.Add(plan);
        db.DoseOrders.Add(Row(plan.Id, order.Current, actor.UserName));
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, plan.Id.ToString(), patientId,
            new { plan.ProtocolId, plan.ProtocolVersion, plan.PhaseId, course = course.Id, dose = order.Current.Dose.ToString() }, ct);
        await db.SaveChangesAsync(ct);
        var view = await ViewAsync(db, plan, now, ct);
        await tx.CommitAsync(ct);
        return Result<PlanView>.Ok(view);
    }

    /// <summary>A physician's titration: a new version of the dose order, with a reason, within the protocol's limits and step.</summary>
    public async Task<Result<PlanView>> OrderDoseAsync(Guid planId, OrderDoseRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PlansWrite))
        {
            return Result<PlanView>.Forbidden("Only a physician orders a dose.");
        }
        if (request?.Dose is null)
        {
            return Result<PlanView>.Invalid("dose", "is required.");
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var plan = await db.TreatmentPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Result<PlanView>.NotFound($"No treatment plan with id {planId}.");
        }
        if (plan.Status != "active")
        {
            return Result<PlanView>.Conflict("The plan is closed.");
        }
        var protocol = protocols.Find(plan.ProtocolId);
        if (protocol is null)
        {
            return Result<PlanView>.Conflict($"Protocol '{plan.ProtocolId}' is no longer in the clinic's library.");
        }
        var rows = await db.DoseOrders.AsNoTracking().Where(o => o.PlanId == planId).OrderBy(o => o.Version).ToListAsync(ct);
        var order = Replay(protocol, rows);
        DoseOrderVersion version;
        try
        {
            version = order.Titrate(new DoseAmount(protocol.DoseBasis, request.Dose.Value), actor.UserId, now, request.Reason ?? string.Empty);
        }
        catch (DomainValidationException e)
        {
            return Result<PlanView>.Invalid(e.Errors);
        }
        db.DoseOrders.Add(Row(plan.Id, version, actor.UserName));
        plan.UpdatedAt = now;
        await audit.RecordAsync(db, actor, AuditActions.Create, DoseOrderRecord, plan.Id.ToString(), plan.PatientId,
            new { version = version.Version, dose = version.Dose.ToString(), previous = rows[^1].DoseValue, version.Reason }, ct);
        await db.SaveChangesAsync(ct);
        var view = await ViewAsync(db, plan, now, ct);
        await tx.CommitAsync(ct);
        return Result<PlanView>.Ok(view);
    }

    /// <summary>The response-guided proposal for the plan's next step, from the course's outcome (course_outcomes).</summary>
    public async Task<Result<PhaseProposalView>> ProposalAsync(Guid planId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PlansRead))
        {
            return Result<PhaseProposalView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var plan = await db.TreatmentPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Result<PhaseProposalView>.NotFound($"No treatment plan with id {planId}.");
        }
        var proposal = await ProposeAsync(db, plan, ct);
        if (proposal is null)
        {
            return Result<PhaseProposalView>.Conflict($"Protocol '{plan.ProtocolId}' is no longer in the clinic's library.");
        }
        await audit.RecordAsync(db, actor, AuditActions.Read, DecisionRecord, plan.Id.ToString(), plan.PatientId, new { proposal.Kind }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<PhaseProposalView>.Ok(proposal);
    }

    /// <summary>The physician accepts the proposal or edits it (another phase or interval, with a reason); audited.</summary>
    public async Task<Result<PlanView>> DecideAsync(Guid planId, DecideProposalRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.PlansWrite))
        {
            return Result<PlanView>.Forbidden("Only a physician decides the plan's next phase.");
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var plan = await db.TreatmentPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Result<PlanView>.NotFound($"No treatment plan with id {planId}.");
        }
        var protocol = protocols.Find(plan.ProtocolId);
        var proposal = await ProposeAsync(db, plan, ct);
        if (protocol is null || proposal is null)
        {
            return Result<PlanView>.Conflict($"Protocol '{plan.ProtocolId}' is no longer in the clinic's library.");
        }
        var v = new Validator();
        var accept = request?.Accept ?? false;
        var phaseId = accept ? proposal.PhaseId : request?.PhaseId?.Trim();
        var interval = accept ? proposal.IntervalDays : request?.IntervalDays;
        var reason = v.Text("reason", request?.Reason, 500, required: !accept);
        if (accept && proposal.Kind == nameof(ProposalKind.HoldForReview))
        {
            v.Add("accept", "a hold for review cannot be accepted as it is: choose the next step and give a reason.");
        }
        var phase = phaseId is null ? null : protocol.Phases.FirstOrDefault(p => p.Id == phaseId);
        if (phase is null)
        {
            v.Add("phaseId", $"must be a phase of {protocol.Name} ({string.Join(", ", protocol.Phases.Select(p => p.Id))}).");
        }
        else if (phase is MaintenancePhase m && (interval is null || !m.IntervalsDays.Value.Contains(interval.Value)))
        {
            v.Add("intervalDays", $"must be one of the maintenance intervals {string.Join(", ", m.IntervalsDays.Value)} days ({m.IntervalsDays.Source}).");
        }
        if (!v.IsValid)
        {
            return Result<PlanView>.Invalid(v.Errors);
        }
        var decision = new PlanDecisionRow
        {
            Id = Guid.NewGuid(), PlanId = plan.Id, ProposalKind = proposal.Kind, ProposedPhaseId = proposal.PhaseId, ProposedIntervalDays = proposal.IntervalDays,
            ChosenPhaseId = phase!.Id, ChosenIntervalDays = phase is MaintenancePhase ? interval : null,
            Edited = !accept, Reason = reason, DecidedAt = now, DecidedBy = actor.UserId, DecidedByName = actor.UserName,
        };
        db.PlanDecisions.Add(decision);
        plan.PhaseId = phase.Id;
        plan.PlannedSessions = phase is SeriesPhase s ? s.Sessions.Value : 0;
        plan.IntervalDays = decision.ChosenIntervalDays;
        plan.UpdatedAt = now;
        await audit.RecordAsync(db, actor, AuditActions.Update, DecisionRecord, plan.Id.ToString(), plan.PatientId,
            new { proposal.Kind, proposed = proposal.PhaseId, proposal.IntervalDays, chosen = phase.Id, interval = decision.ChosenIntervalDays, decision.Edited, reason }, ct);
        await db.SaveChangesAsync(ct);
        var view = await ViewAsync(db, plan, now, ct);
        await tx.CommitAsync(ct);
        return Result<PlanView>.Ok(view);
    }

    private async Task<PhaseProposalView?> ProposeAsync(ClinicDbContext db, TreatmentPlanRow plan, CancellationToken ct)
    {
        var protocol = protocols.Find(plan.ProtocolId);
        if (protocol is null)
        {
            return null;
        }
        var completed = await db.TreatmentSessions.AsNoTracking().Where(s => s.CourseId == plan.CourseId && s.Status == "completed")
            .Select(s => new { s.PhaseId, s.ScheduledStart }).ToListAsync(ct);
        var lastDecision = await db.PlanDecisions.AsNoTracking().Where(d => d.PlanId == plan.Id).OrderByDescending(d => d.DecidedAt).FirstOrDefaultAsync(ct);
        var phaseStart = lastDecision?.DecidedAt;
        var inPhase = completed.Count(s => s.PhaseId == plan.PhaseId || (s.PhaseId is null && phaseStart is null) || (phaseStart is not null && s.ScheduledStart > phaseStart));
        // The course's outcome on PHQ-9, as the measurement module keeps it (OutcomeProjector).
        var outcome = await db.CourseOutcomes.AsNoTracking().Where(o => o.CourseId == plan.CourseId)
            .OrderBy(o => o.InstrumentId == "phq9" ? 0 : 1).FirstOrDefaultAsync(ct);
        var status = StatusOf(outcome?.Status);
        var instrument = outcome?.InstrumentId ?? "phq9";
        var recent = await db.InstrumentResponses.AsNoTracking().Where(r => r.PatientId == plan.PatientId && r.InstrumentId == instrument && r.Total != null)
            .OrderByDescending(r => r.TakenAt).Take(6).Select(r => r.Total!.Value).ToListAsync(ct);
        recent.Reverse();
        var maintenanceNow = protocol.Phase(plan.PhaseId) is MaintenancePhase;
        var progress = new TreatmentProgress(plan.PhaseId, inPhase, completed.Count, maintenanceNow ? plan.IntervalDays ?? protocol.Maintenance.IntervalsDays.Value[0] : null,
            maintenanceNow ? inPhase : 0, status, outcome?.BaselineTotal, recent);
        var p = ResponseGuidedPlanner.Propose(protocol, progress, maintenance);
        return new PhaseProposalView(plan.Id, p.Kind.ToString(), p.PhaseId, protocol.Phase(p.PhaseId).Name, p.IntervalDays, p.NeedsPhysicianReview,
            outcome?.Status ?? "needs-baseline", p.Reasons.Select(r => new ProposalReasonView(r.Code, r.Message)).ToList());
    }

    private static OutcomeStatus StatusOf(string? code) =>
        Enum.GetValues<OutcomeStatus>().FirstOrDefault(s => s.ToCode() == code, code is null ? OutcomeStatus.NeedsBaseline : OutcomeStatus.NotResponding);

    /// <summary>Rebuilds the domain order from its stored versions (the first starts it, each later one is a titration).</summary>
    internal static DoseOrder Replay(TreatmentProtocol protocol, IReadOnlyList<DoseOrderRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var order = DoseOrder.Start(protocol, Amount(rows[0]), rows[0].OrderedBy, rows[0].OrderedAt, rows[0].Reason);
        foreach (var row in rows.Skip(1))
        {
            order.Titrate(Amount(row), row.OrderedBy, row.OrderedAt, row.Reason);
        }
        return order;
    }

    internal static DoseAmount Amount(DoseOrderRow row) => new(BasisOf(row.DoseBasis), row.DoseValue);

    internal static string BasisCode(DoseBasis basis) => basis switch
    {
        DoseBasis.MgPerKg => "mg-per-kg",
        DoseBasis.FixedMg => "fixed-mg",
        _ => "devices",
    };

    internal static DoseBasis BasisOf(string code) => code switch
    {
        "mg-per-kg" => DoseBasis.MgPerKg,
        "fixed-mg" => DoseBasis.FixedMg,
        _ => DoseBasis.Devices,
    };

    internal static DoseOrderRow Row(Guid planId, DoseOrderVersion v, string orderedByName) => new()
    {
        Id = Guid.NewGuid(), PlanId = planId, Version = v.Version, DoseBasis = BasisCode(v.Dose.Basis), DoseValue = v.Dose.Value,
        OrderedAt = v.OrderedAt, OrderedBy = v.OrderedBy, OrderedByName = orderedByName, Reason = v.Reason,
    };

    private async Task<PlanView> ViewAsync(ClinicDbContext db, TreatmentPlanRow plan, DateTimeOffset now, CancellationToken ct)
    {
        var protocol = protocols.Find(plan.ProtocolId)
            ?? throw new InvalidOperationException($"Protocol '{plan.ProtocolId}' of plan {plan.Id} is not in the clinic's library.");
        var course = await db.TreatmentCourses.AsNoTracking().SingleAsync(c => c.Id == plan.CourseId, ct);
        var rows = await db.DoseOrders.AsNoTracking().Where(o => o.PlanId == plan.Id).OrderBy(o => o.Version).ToListAsync(ct);
        var orders = rows.Select(r => new DoseOrderView(r.Version, r.DoseValue, Amount(r).Unit, Amount(r).ToString(), r.OrderedAt, r.OrderedByName, r.Reason)).ToList();
        var sessions = await db.TreatmentSessions.AsNoTracking().Where(s => s.CourseId == plan.CourseId).OrderBy(s => s.SequenceNumber).ToListAsync(ct);
        var chairIds = sessions.Where(s => s.ChairId != null).Select(s => s.ChairId!.Value).Distinct().ToList();
        var chairs = await db.Chairs.AsNoTracking().Where(c => chairIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var weight = await db.BodyMeasurements.AsNoTracking().Where(m => m.PatientId == plan.PatientId && m.Kind == MeasurementKind.Weight)
            .OrderByDescending(m => m.MeasuredAt).Select(m => new { m.Value, m.MeasuredAt }).FirstOrDefaultAsync(ct);
        var nextNumber = sessions.Count(s => s.Status == "completed") + 1;
        var calc = DoseCalculator.Calculate(new DoseRequest(protocol, Amount(rows[^1]),
            weight is null ? null : new RecordedWeight(new WeightKg(weight.Value), weight.MeasuredAt), nextNumber, now), dosing);
        var decisions = await db.PlanDecisions.AsNoTracking().Where(d => d.PlanId == plan.Id).OrderBy(d => d.DecidedAt).ToListAsync(ct);
        var limits = protocol.Dose;
        return new PlanView(
            plan.Id, plan.CourseId, plan.PatientId, course.LocationId, protocol.Id, protocol.Name, plan.ProtocolVersion, course.Route,
            plan.PhaseId, protocol.Phase(plan.PhaseId).Name, plan.PlannedSessions, plan.IntervalDays, plan.Status, plan.CreatedAt, plan.CreatedByName,
            new DoseLimitsView(BasisCode(protocol.DoseBasis), limits.Default.Value.Unit, limits.Default.Value.Value, limits.Minimum.Value.Value, limits.Maximum.Value.Value,
                limits.HardMaximum.Value.Value, limits.TitrationStep.Value.Value, limits.AbsoluteMaximum.Value.Value,
                limits.Default.Source, limits.Maximum.Source, limits.HardMaximum.Source, limits.TitrationStep.Source),
            orders[^1], orders,
            new DoseCalculationView(calc.IsAllowed, calc.Dose?.Value, calc.DeviceCount, calc.WeightUsed?.Value, weight?.MeasuredAt, calc.Trace,
                calc.HardStops.Select(h => new HardStopView(h.Kind.ToString(), h.Field, h.Message)).ToList()),
            Phases(protocol),
            sessions.Select(s => new PlanSessionView(s.Id, s.SequenceNumber, s.ScheduledStart, s.Status, s.PhaseId, s.ChairId is { } c ? chairs.GetValueOrDefault(c) : null)).ToList(),
            decisions.Select(d => new PlanDecisionView(d.DecidedAt, d.DecidedByName, d.ProposalKind, d.ProposedPhaseId, d.ProposedIntervalDays, d.ChosenPhaseId,
                d.ChosenIntervalDays, d.Edited, d.Reason)).ToList());
    }

    public static IReadOnlyList<PhaseView> Phases(TreatmentProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.Phases.Select(p => p switch
        {
            SeriesPhase s => new PhaseView(s.Id, s.Name, "series", s.Sessions.Value, s.Rules.ToString()),
            MaintenancePhase m => new PhaseView(m.Id, m.Name, "maintenance", null,
                "every " + string.Join(" → ", m.IntervalsDays.Value.Select(i => i.ToString(CultureInfo.InvariantCulture))) + " days by response"),
            _ => new PhaseView(p.Id, p.Name, "other", null, string.Empty),
        }).ToList();
    }

    /// <summary>Every setting of a protocol with its source, for the read-only protocol page.</summary>
    public static ProtocolView Describe(TreatmentProtocol p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var settings = new List<ProtocolSettingView>
        {
            new("Default dose", p.Dose.Default.Value.ToString(), p.Dose.Default.Source),
            new("Usual minimum", p.Dose.Minimum.Value.ToString(), p.Dose.Minimum.Source),
            new("Usual maximum", p.Dose.Maximum.Value.ToString(), p.Dose.Maximum.Source),
            new("Hard maximum", p.Dose.HardMaximum.Value.ToString(), p.Dose.HardMaximum.Source),
            new("Titration step", p.Dose.TitrationStep.Value.ToString(), p.Dose.TitrationStep.Source),
            new("Absolute cap", p.Dose.AbsoluteMaximum.Value.ToString(), p.Dose.AbsoluteMaximum.Source),
            new("REMS", p.RemsRequired.Value ? "yes" : "no", p.RemsRequired.Source),
            new("Administration", Min(p.Timing.AdministrationMinutes.Value), p.Timing.AdministrationMinutes.Source),
            new("Chair time", Min(p.Timing.ChairMinutes.Value), p.Timing.ChairMinutes.Source),
            new("Recovery in the chair", Min(p.Timing.RecoveryMinutes.Value), p.Timing.RecoveryMinutes.Source),
            new("Minimum monitoring", Min(p.Timing.MinimumMonitoringMinutes.Value), p.Timing.MinimumMonitoringMinutes.Source),
            new("Vital signs every", Min(p.Timing.VitalsIntervalMinutes.Value), p.Timing.VitalsIntervalMinutes.Source),
            new("No food before", Min(p.Fasting.NoFoodMinutes.Value), p.Fasting.NoFoodMinutes.Source),
            new("No drink before", Min(p.Fasting.NoDrinkMinutes.Value), p.Fasting.NoDrinkMinutes.Source),
            new("Chair equipment", string.Join(", ", p.RequiredEquipment.Value), p.RequiredEquipment.Source),
            new("Review non-response after", p.NonResponseReviewAfterSessions.Value.ToString(CultureInfo.InvariantCulture) + " sessions", p.NonResponseReviewAfterSessions.Source),
        };
        if (p.Devices is { } d)
        {
            settings.Add(new("Per device", d.MgPerDevice.Value.ToString(), d.MgPerDevice.Source));
            settings.Add(new("Allowed doses", string.Join(", ", d.AllowedDoses.Value), d.AllowedDoses.Source));
            settings.Add(new("First session dose", d.FirstSessionDose.Value.ToString(), d.FirstSessionDose.Source));
            settings.Add(new("Between devices", Min(d.MinutesBetweenDevices.Value), d.MinutesBetweenDevices.Source));
        }
        foreach (var s in p.SeriesPhases)
        {
            settings.Add(new($"{s.Name}: sessions", s.Sessions.Value.ToString(CultureInfo.InvariantCulture), s.Sessions.Source));
            settings.Add(new($"{s.Name}: spacing", $"{s.SpacingMinDays.Value}–{s.SpacingMaxDays.Value} days", s.SpacingMinDays.Source));
            settings.Add(new($"{s.Name}: at most per 7 days", s.MaxSessionsPer7Days.Value.ToString(CultureInfo.InvariantCulture), s.MaxSessionsPer7Days.Source));
            settings.Add(new($"{s.Name}: within", s.WindowDays.Value.ToString(CultureInfo.InvariantCulture) + " days", s.WindowDays.Source));
        }
        settings.Add(new($"{p.Maintenance.Name}: intervals", string.Join(", ", p.Maintenance.IntervalsDays.Value) + " days", p.Maintenance.IntervalsDays.Source));
        return new ProtocolView(p.Id, p.Version, p.Name, p.Drug, p.Route.ToString(), p.Source, settings, Phases(p));
    }

    private static string Min(int minutes) => minutes.ToString(CultureInfo.InvariantCulture) + " min";
}
