using System.Globalization;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Patients;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>
/// The physician's comprehensive evaluation: a draft prefilled from the patient's pre-screening (to be confirmed, never
/// accepted automatically), live decision support with every reason's code, sentence and source, sign-off that accepts
/// or overrides the result with a written reason and locks the evaluation, and addenda afterwards. All audited.
/// </summary>
public sealed class Evaluations(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ClinicEvaluationRules rules,
    PreScreenings preScreenings,
    Consents consents,
    TreatmentReadiness readiness)
{
    public const string RecordType = "evaluation";
    public const string AddendumRecord = "evaluation-addendum";
    public const string SignOffAction = "sign-off";

    /// <summary>Below this a written override reason says nothing a reader could check.</summary>
    private const int MinimumReasonLength = 10;

    /// <summary>Responses older than this are not offered as the evaluation's baseline by default.</summary>
    private const int BaselineDays = 30;

    private static readonly JsonSerializerOptions Json = PreScreenings.Json;

    private DateOnly Today => clinic.Today(clock);

    /// <summary>Form problems and the live decision support for a form being filled in; nothing is stored.</summary>
    public EvaluationCheck Check(EvaluationForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var (input, errors) = EvaluationRules.ToInput(form, Today, rules.Rules.Antidepressants);
        return input is null ? new EvaluationCheck(errors, null) : new EvaluationCheck([], EvaluationRules.Assess(input, form, rules.Rules));
    }

    /// <summary>Whether a drug is in the clinic's antidepressant table (otherwise it needs the physician's class and confirmation).</summary>
    public bool IsKnownDrug(string? name) => rules.Rules.Antidepressants.Find(name) is not null;

    public async Task<Result<EvaluationOverview>> OverviewAsync(Guid patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsRead))
        {
            return Result<EvaluationOverview>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await db.Patients.AsNoTracking().SingleOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Result<EvaluationOverview>.NotFound($"No patient with id {patientId}.");
        }
        var bookings = await db.ConsultationAppointments.AsNoTracking().Where(c => c.PatientId == patientId).ToListAsync(ct);
        var evaluations = await db.ClinicalEvaluations.AsNoTracking().Where(e => e.PatientId == patientId).ToListAsync(ct);
        var latestSigned = evaluations.Where(e => e.Status == "signed").MaxBy(e => e.SignedAt);
        var routes = new List<RouteReadiness>();
        foreach (var route in TreatmentReadiness.TreatmentRoutes)
        {
            routes.Add(new RouteReadiness(route, await readiness.CheckAsync(db, patientId, route, Today, ct)));
        }
        var overview = new EvaluationOverview(
            patientId,
            patient.DisplayName,
            patient.Mrn,
            bookings.OrderByDescending(c => c.StartsAt).Select(c => ConsultationRequests.ToView(c, patient.DisplayName, patient.Mrn)).ToList(),
            await preScreenings.ForPatientAsync(db, patientId, ct),
            evaluations.OrderByDescending(e => e.CreatedAt).Select(e => new EvaluationSummary(e.Id, e.Status, e.EvaluatedOn, e.CreatedByName, e.FinalDecision, e.SupportDecision,
                e.SignedAt, e.SignedByName, e.ExpiresOn, ReferenceEquals(e, latestSigned) && IsCurrent(e))).ToList(),
            await consents.ForPatientAsync(db, patientId, ct),
            routes);
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, null, patientId,
            new { parts = "consultations,pre-screenings,evaluations,consents,readiness" }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationOverview>.Ok(overview);
    }

    /// <summary>Starts a draft, prefilled with the patient's active diagnoses, recent rating scales and latest pre-screening.</summary>
    public async Task<Result<EvaluationView>> CreateAsync(Guid patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsWrite))
        {
            return Result<EvaluationView>.Forbidden("Only a physician can evaluate a patient.");
        }
        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await db.Patients.AsNoTracking().Include(p => p.Diagnoses).SingleOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Result<EvaluationView>.NotFound($"No patient with id {patientId}.");
        }
        if (await db.ClinicalEvaluations.AsNoTracking().FirstOrDefaultAsync(e => e.PatientId == patientId && e.Status == "draft", ct) is { } draft)
        {
            return Result<EvaluationView>.Conflict($"A draft evaluation already exists (started {clinic.ToClinicTime(draft.CreatedAt):yyyy-MM-dd} by {draft.CreatedByName}); continue it.");
        }
        var form = new EvaluationForm
        {
            EvaluatedOn = Today,
            Diagnoses = patient.Diagnoses.Where(d => d.Status == DiagnosisStatus.Active)
                .Select(d => new DiagnosisEntry { Code = d.Code, Description = d.Description }).Take(EvaluationRules.MaxDiagnoses).ToList(),
        };
        var since = now.AddDays(-BaselineDays);
        var recent = await db.InstrumentResponses.AsNoTracking().Where(r => r.PatientId == patientId && r.TakenAt >= since).ToListAsync(ct);
        form.BaselineResponseIds = recent.GroupBy(r => r.InstrumentId).Select(g => g.MaxBy(r => r.TakenAt)!.Id).Take(EvaluationRules.MaxBaselineScales).ToList();
        var screenings = await preScreenings.ForPatientAsync(db, patientId, ct);
        var screening = screenings.Count > 0 ? screenings[0] : null;
        if (screening is not null)
        {
            Prefill(form, screening.Answers);
        }
        var evaluation = new ClinicalEvaluation
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patientId,
            Status = "draft",
            Version = 1,
            EvaluatedOn = form.EvaluatedOn.Value,
            Form = JsonSerializer.Serialize(form, Json),
            PreScreeningId = screening?.Id,
            CreatedAt = now,
            CreatedBy = actor.UserId,
            CreatedByName = actor.UserName,
            UpdatedAt = now,
        };
        db.ClinicalEvaluations.Add(evaluation);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, evaluation.Id.ToString(), patientId, new { preScreening = screening?.Id }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationView>.Ok(await ViewAsync(db, evaluation, ct));
    }

    public async Task<Result<EvaluationView>> GetAsync(Guid evaluationId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsRead))
        {
            return Result<EvaluationView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var evaluation = await db.ClinicalEvaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evaluationId, ct);
        if (evaluation is null)
        {
            return Result<EvaluationView>.NotFound($"No evaluation with id {evaluationId}.");
        }
        var view = await ViewAsync(db, evaluation, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, evaluation.Id.ToString(), evaluation.PatientId, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationView>.Ok(view);
    }

    /// <summary>Saves the draft whole or not at all. A signed evaluation is locked: later changes are addenda.</summary>
    public async Task<Result<EvaluationView>> SaveAsync(Guid evaluationId, SaveEvaluationRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsWrite))
        {
            return Result<EvaluationView>.Forbidden("Only a physician can change an evaluation.");
        }
        if (request?.Form is null)
        {
            return Result<EvaluationView>.Invalid("form", "is required.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var (evaluation, refused) = await LoadDraftAsync(db, evaluationId, request.Version, ct);
        if (refused is not null)
        {
            return refused;
        }
        var (input, errors) = EvaluationRules.ToInput(request.Form, Today, rules.Rules.Antidepressants);
        var baselineError = await BaselineErrorAsync(db, evaluation!.PatientId, request.Form.BaselineResponseIds, ct);
        if (input is null || baselineError is not null)
        {
            return Result<EvaluationView>.Invalid(baselineError is null ? errors : [.. errors, baselineError]);
        }
        request.Form.EvaluatedOn = input.EvaluatedOn;
        evaluation.Form = JsonSerializer.Serialize(request.Form, Json);
        evaluation.EvaluatedOn = input.EvaluatedOn;
        evaluation.Version++;
        evaluation.UpdatedAt = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, evaluation.Id.ToString(), evaluation.PatientId, new { evaluation.Version }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationView>.Ok(await ViewAsync(db, evaluation, ct));
    }

    /// <summary>
    /// The physician accepts the decision support's result or overrides it with a written reason; the evaluation is then
    /// locked. An absolute contraindication cannot be overridden, and a relative one needs its written justification.
    /// </summary>
    public async Task<Result<EvaluationView>> SignAsync(Guid evaluationId, SignOffRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsWrite))
        {
            return Result<EvaluationView>.Forbidden("Only a physician can sign off an evaluation.");
        }
        if (request is null)
        {
            return Result<EvaluationView>.Invalid("body", "is required.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var (evaluation, refused) = await LoadDraftAsync(db, evaluationId, request.Version, ct);
        if (refused is not null)
        {
            return refused;
        }
        var form = Form(evaluation!);
        var (input, errors) = EvaluationRules.ToInput(form, Today, rules.Rules.Antidepressants);
        if (input is null)
        {
            return Result<EvaluationView>.Invalid(errors);
        }
        var v = new Validator();
        for (var i = 0; i < form.Trials.Count; i++)
        {
            if (form.Trials[i].FromPreScreening)
            {
                v.Add($"trials[{i}]", $"{form.Trials[i].Drug} comes from the patient's pre-screening: confirm it (or remove it) before signing.");
            }
        }
        if (form.CurrentMedicationsFromPreScreening)
        {
            v.Add("currentMedications", "the list comes from the patient's pre-screening: confirm it before signing.");
        }
        var assessment = EvaluationRules.Assess(input, form, rules.Rules);
        var final = Decide(v, request, assessment);
        var reason = v.MultilineText("reason", request.Reason, 2000, required: string.Equals(request.Outcome?.Trim(), "override", StringComparison.OrdinalIgnoreCase));
        if (reason is not null && reason.Length < MinimumReasonLength)
        {
            v.Add("reason", $"say why in at least {MinimumReasonLength} characters.");
        }
        if (!v.IsValid)
        {
            return Result<EvaluationView>.Invalid(v.Errors);
        }
        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        var body = await BodyAsync(db, evaluation!.PatientId, ct);
        var scales = await ScalesAsync(db, form.BaselineResponseIds, ct);
        evaluation.Status = "signed";
        evaluation.Version++;
        evaluation.UpdatedAt = now;
        evaluation.SupportDecision = assessment.Decision;
        evaluation.FinalDecision = final;
        evaluation.SignOffOutcome = string.Equals(request.Outcome!.Trim(), "accept", StringComparison.OrdinalIgnoreCase) ? "accepted" : "overridden";
        evaluation.SignOffReason = reason;
        evaluation.SignedAt = now;
        evaluation.SignedBy = actor.UserId;
        evaluation.SignedByName = actor.UserName;
        evaluation.ExpiresOn = final == "eligible" ? assessment.ExpiresOn : null;
        evaluation.SignedAssessment = Snapshot(assessment, body, scales);
        await audit.RecordAsync(db, actor, SignOffAction, RecordType, evaluation.Id.ToString(), evaluation.PatientId,
            new { evaluation.SignOffOutcome, support = assessment.Decision, final, evaluation.ExpiresOn, reasons = assessment.Reasons.Select(r => r.Code).Distinct() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationView>.Ok(await ViewAsync(db, evaluation, ct));
    }

    /// <summary>A later note on a signed evaluation; the evaluation itself stays as signed.</summary>
    public async Task<Result<EvaluationView>> AddAddendumAsync(Guid evaluationId, AddendumRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsWrite))
        {
            return Result<EvaluationView>.Forbidden("Only a physician can add to an evaluation.");
        }
        var v = new Validator();
        var text = v.MultilineText("text", request?.Text, 4000, required: true);
        if (!v.IsValid)
        {
            return Result<EvaluationView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var evaluation = await db.ClinicalEvaluations.SingleOrDefaultAsync(e => e.Id == evaluationId, ct);
        if (evaluation is null)
        {
            return Result<EvaluationView>.NotFound($"No evaluation with id {evaluationId}.");
        }
        if (evaluation.Status != "signed")
        {
            return Result<EvaluationView>.Conflict("This evaluation is still a draft: change it directly; addenda are for signed evaluations.");
        }
        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        var addendum = new EvaluationAddendum
        {
            Id = Guid.CreateVersion7(now),
            EvaluationId = evaluation.Id,
            PatientId = evaluation.PatientId,
            Text = text!,
            AuthorId = actor.UserId,
            AuthorName = actor.UserName,
            CreatedAt = now,
        };
        db.EvaluationAddenda.Add(addendum);
        await audit.RecordAsync(db, actor, AuditActions.Create, AddendumRecord, addendum.Id.ToString(), evaluation.PatientId, new { evaluation = evaluation.Id, length = text!.Length }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationView>.Ok(await ViewAsync(db, evaluation, ct));
    }

    /// <summary>What a printed evaluation summary or referral letter shows; the read is audited with the kind of document.</summary>
    public async Task<Result<EvaluationDocument>> DocumentAsync(Guid evaluationId, string kind, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.EvaluationsRead))
        {
            return Result<EvaluationDocument>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var evaluation = await db.ClinicalEvaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evaluationId, ct);
        if (evaluation is null)
        {
            return Result<EvaluationDocument>.NotFound($"No evaluation with id {evaluationId}.");
        }
        var patient = await db.Patients.AsNoTracking().Include(p => p.Diagnoses).Include(p => p.Allergies).Include(p => p.Measurements).AsSplitQuery()
            .SingleAsync(p => p.Id == evaluation.PatientId, ct);
        var document = new EvaluationDocument(
            await ViewAsync(db, evaluation, ct),
            PatientMapping.ToRecord(patient, Today, includeClinical: true),
            clinic.Letterhead,
            clinic.Name,
            await consents.ForPatientAsync(db, evaluation.PatientId, ct),
            clock.GetUtcNow());
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, evaluation.Id.ToString(), evaluation.PatientId, new { document = kind }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<EvaluationDocument>.Ok(document);
    }

    // ---- helpers ----

    /// <summary>The decision support's answer the physician settles on; errors name the field.</summary>
    private static string? Decide(Validator v, SignOffRequest request, AssessmentView assessment)
    {
        var outcome = request.Outcome?.Trim().ToLowerInvariant();
        if (outcome == "accept")
        {
            if (assessment.Decision == "needs-review")
            {
                var open = assessment.Reasons.Where(r => r.Effect == "needs-review").Select(r => r.Sentence).Take(3);
                v.Add("outcome", $"the decision support says needs-review ({string.Join(" ", open)}); complete the evaluation, or override with a final decision and a written reason.");
                return null;
            }
            return assessment.Decision;
        }
        if (outcome != "override")
        {
            v.Add("outcome", "must be accept or override.");
            return null;
        }
        var final = request.FinalDecision?.Trim().ToLowerInvariant();
        if (final is not ("eligible" or "not-eligible"))
        {
            v.Add("finalDecision", "must be eligible or not-eligible.");
            return null;
        }
        if (final == assessment.Decision)
        {
            v.Add("finalDecision", $"is the decision support's own result ({final}); accept it instead of overriding.");
            return null;
        }
        if (final == "eligible")
        {
            foreach (var blocking in assessment.Reasons.Where(r => r.Effect == "blocks"))
            {
                v.Add("finalDecision", $"cannot be eligible: {blocking.Sentence}");
            }
            foreach (var relative in assessment.Reasons.Where(r => r.Code == Domain.Evaluation.ReasonCodes.RelativeContraindicationNeedsJustification))
            {
                v.Add($"justifications.{relative.Subject}", "a relative contraindication needs the physician's written justification in the screening before the patient can be eligible.");
            }
        }
        return final;
    }

    private async Task<(ClinicalEvaluation? Evaluation, Result<EvaluationView>? Refused)> LoadDraftAsync(ClinicDbContext db, Guid evaluationId, int version, CancellationToken ct)
    {
        var evaluation = await db.ClinicalEvaluations.SingleOrDefaultAsync(e => e.Id == evaluationId, ct);
        if (evaluation is null)
        {
            return (null, Result<EvaluationView>.NotFound($"No evaluation with id {evaluationId}."));
        }
        if (evaluation.Status == "signed")
        {
            return (null, Result<EvaluationView>.Conflict(
                $"This evaluation was signed off by {evaluation.SignedByName} on {clinic.ToClinicTime(evaluation.SignedAt!.Value):yyyy-MM-dd HH:mm} and is locked; add an addendum instead."));
        }
        if (evaluation.Version != version)
        {
            return (null, Result<EvaluationView>.Conflict("The evaluation was changed meanwhile (by another window or person). Reload it and apply your change again."));
        }
        return (evaluation, null);
    }

    private static async Task<FieldError?> BaselineErrorAsync(ClinicDbContext db, Guid patientId, List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return null;
        }
        var distinct = ids.Distinct().ToList();
        var found = await db.InstrumentResponses.AsNoTracking().CountAsync(r => distinct.Contains(r.Id) && r.PatientId == patientId, ct);
        return found == distinct.Count ? null : new FieldError("baselineResponseIds", "must be rating scales of this patient.");
    }

    private bool IsCurrent(ClinicalEvaluation e) =>
        e.Status == "signed" && (e.FinalDecision != "eligible" || (e.ExpiresOn is { } expires && Today < expires));

    private static EvaluationForm Form(ClinicalEvaluation e) => JsonSerializer.Deserialize<EvaluationForm>(e.Form, Json) ?? new EvaluationForm();

    private async Task<EvaluationView> ViewAsync(ClinicDbContext db, ClinicalEvaluation e, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == e.PatientId)
            .Select(p => new { p.LegalGivenName, p.LegalFamilyName, p.PreferredName, p.Mrn }).SingleAsync(ct);
        var form = Form(e);
        var snapshot = e.SignedAssessment is null ? null : JsonSerializer.Deserialize<SignedSnapshot>(e.SignedAssessment, Json);
        var addenda = await db.EvaluationAddenda.AsNoTracking().Where(a => a.EvaluationId == e.Id).OrderBy(a => a.CreatedAt)
            .Select(a => new AddendumView(a.Id, a.Text, a.AuthorName, a.CreatedAt)).ToListAsync(ct);
        var recent = await db.InstrumentResponses.AsNoTracking().Where(r => r.PatientId == e.PatientId).OrderByDescending(r => r.TakenAt).Take(20).ToListAsync(ct);
        var preScreening = e.PreScreeningId is { } sid ? (await preScreenings.ForPatientAsync(db, e.PatientId, ct)).FirstOrDefault(s => s.Id == sid) : null;
        return new EvaluationView(
            e.Id,
            e.PatientId,
            $"{patient.PreferredName ?? patient.LegalGivenName} {patient.LegalFamilyName}",
            patient.Mrn,
            e.Status,
            e.Version,
            form,
            snapshot is null ? Check(form) : new EvaluationCheck([], snapshot.Assessment),
            e.CreatedAt,
            e.CreatedByName,
            e.UpdatedAt,
            e.SignedAt is { } signedAt
                ? new SignOffView(e.SignOffOutcome!, e.SupportDecision!, e.FinalDecision!, e.SignOffReason, signedAt, e.SignedByName!, e.ExpiresOn, IsCurrent(e))
                : null,
            addenda,
            snapshot?.Body ?? await BodyAsync(db, e.PatientId, ct),
            snapshot?.Scales ?? await ScalesAsync(db, form.BaselineResponseIds, ct),
            recent.GroupBy(r => r.InstrumentId).Select(g => preScreenings.ToSummary(g.First())).ToList(),
            preScreening);
    }

    private static async Task<BodyView> BodyAsync(ClinicDbContext db, Guid patientId, CancellationToken ct)
    {
        var weight = await db.BodyMeasurements.AsNoTracking().Where(m => m.PatientId == patientId && m.Kind == MeasurementKind.Weight)
            .OrderByDescending(m => m.MeasuredAt).FirstOrDefaultAsync(ct);
        var height = await db.BodyMeasurements.AsNoTracking().Where(m => m.PatientId == patientId && m.Kind == MeasurementKind.Height)
            .OrderByDescending(m => m.MeasuredAt).FirstOrDefaultAsync(ct);
        return new BodyView(weight?.Value, weight?.MeasuredAt, height?.Value, height?.MeasuredAt);
    }

    private async Task<IReadOnlyList<ScaleSummary>> ScalesAsync(ClinicDbContext db, List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await db.InstrumentResponses.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct);
        return rows.OrderBy(r => r.InstrumentId, StringComparer.Ordinal).Select(preScreenings.ToSummary).ToList();
    }

    /// <summary>The patient's answers as a starting point: every row is marked unconfirmed until the physician confirms it.</summary>
    private static void Prefill(EvaluationForm form, PreScreeningAnswers answers)
    {
        foreach (var a in answers.Antidepressants.Take(EvaluationRules.MaxTrials))
        {
            form.Trials.Add(new TrialEntry
            {
                Drug = a.Drug,
                MaxDailyDoseMg = a.DailyDoseMg,
                WeeksAtDose = a.Weeks,
                Outcome = a.StoppedForSideEffects == true ? "stopped-for-side-effects" : a.Response switch
                {
                    "did-not-help" => "no-response",
                    "helped-a-little" => "partial-response",
                    "helped-a-lot" => "response",
                    _ => null,
                },
                FromPreScreening = true,
            });
        }
        if (answers.CurrentMedications.Count > 0)
        {
            form.CurrentMedications = answers.CurrentMedications.Take(EvaluationRules.MaxMedications)
                .Select(m => new MedicationEntry { Name = m.Name, DailyDoseMg = m.DailyDoseMg }).ToList();
            form.CurrentMedicationsFromPreScreening = true;
        }
        if (!string.IsNullOrWhiteSpace(answers.Psychotherapy))
        {
            form.Psychotherapy = "Patient's pre-screening: " + answers.Psychotherapy;
        }
    }

    /// <summary>What a signed evaluation keeps of the decision support, the measurements and the rating scales.</summary>
    internal static string Snapshot(AssessmentView assessment, BodyView body, IReadOnlyList<ScaleSummary> scales) =>
        JsonSerializer.Serialize(new SignedSnapshot(assessment, body, scales), Json);

    internal static string Form(EvaluationForm form) => JsonSerializer.Serialize(form, Json);

    internal static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>What is kept at sign-off so the signed record never changes with later data or settings.</summary>
    private sealed record SignedSnapshot(AssessmentView Assessment, BodyView Body, IReadOnlyList<ScaleSummary> Scales);
}
