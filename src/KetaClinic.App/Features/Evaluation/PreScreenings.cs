using System.Globalization;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Instruments;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>
/// The pre-screening questionnaire a patient fills in before the consultation, through a single-use link. The rating
/// scales in it (PHQ-9, GAD-7, and the C-SSRS screener where the clinic has loaded a patient-rated version) are stored
/// by the measurement module as instrument responses, so scores, flags and safety alerts work as for any link.
/// </summary>
public sealed class PreScreenings(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, Measurements measurements)
{
    public const string RecordType = "pre-screening";
    public const string CssrsId = "cssrs-screener";

    public static readonly IReadOnlyList<string> YesNoUnsure = ["yes", "no", "unsure"];
    public static readonly IReadOnlyList<string> Responses = ["helped-a-lot", "helped-a-little", "did-not-help", "unsure"];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const int MaxAntidepressants = 10;
    private const int MaxMedications = 20;

    /// <summary>The rating scales on the form: PHQ-9 and GAD-7, and the C-SSRS screener only if a patient-rated version is loaded.</summary>
    public IReadOnlyList<InstrumentDefinition> Instruments
    {
        get
        {
            var list = new List<InstrumentDefinition> { measurements.Catalog.Get("phq9"), measurements.Catalog.Get("gad7") };
            if (measurements.Catalog.Find(CssrsId) is { Rater: Rater.Patient } cssrs)
            {
                list.Add(cssrs);
            }
            return list;
        }
    }

    public async Task<Result<IssuedLink>> IssueAsync(Guid patientId, IssuePreScreeningRequest? request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.LinksIssue))
        {
            return Result<IssuedLink>.Forbidden();
        }
        return await measurements.IssueAsync(patientId, LinkPurposes.PreScreening, null, request?.SentVia, LinkPurposes.PreScreening, new Validator(), actor, ct);
    }

    /// <summary>The patient's page: the questions if the link can be used, otherwise why not. Never shows the record.</summary>
    public async Task<PublicPreScreening> OpenAsync(string? token, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var link = await Measurements.FindLinkAsync(db, token, LinkPurposes.PreScreening, ct);
        var state = Measurements.LinkState(link, now);
        if (link is not null)
        {
            await audit.RecordAsync(db, Measurements.LinkActor(link, remoteAddress), AuditActions.Read, Measurements.LinkRecord, link.Id.ToString(), link.PatientId, new { state }, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (state != "open")
        {
            return new PublicPreScreening(state, Measurements.StateMessage(state), []);
        }
        return new PublicPreScreening(state, "Please answer the questions below before your consultation.", Instruments.Select(d => new PublicInstrument(
            d.Id, d.Title, d.Instructions, d.Licence.WordingIncluded ? null : d.Licence.Note,
            d.Items.Select(i => new PublicQuestionnaireItem(i.Id, i.ShortTitle, i.Text, i.IsRequired, i.AnswerOptions.Select(o => (o.Value, o.Display)).ToList())).ToList())).ToList());
    }

    /// <summary>Stores the answers once, before the link expires: the questionnaire, its rating scales and their alerts together.</summary>
    public async Task<Result<PublicSubmitResult>> SubmitAsync(string? token, PreScreeningSubmitRequest request, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        // The audit head lock taken above serialises submissions, so a link cannot be used twice concurrently.
        var link = await Measurements.FindLinkAsync(db, token, LinkPurposes.PreScreening, ct);
        var state = Measurements.LinkState(link, now);
        if (link is null)
        {
            return Result<PublicSubmitResult>.NotFound(Measurements.StateMessage(state));
        }
        var actor = Measurements.LinkActor(link, remoteAddress);
        if (state != "open")
        {
            await audit.RecordAsync(db, actor, "refused", Measurements.LinkRecord, link.Id.ToString(), link.PatientId, new { state }, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Result<PublicSubmitResult>.Conflict(Measurements.StateMessage(state));
        }
        var v = new Validator();
        var answers = Validate(v, request?.Answers ?? new PreScreeningAnswers());
        var scores = new List<(InstrumentDefinition Definition, InstrumentScore Score)>();
        foreach (var definition in Instruments)
        {
            var given = definition.Id switch
            {
                "phq9" => request?.Phq9,
                "gad7" => request?.Gad7,
                _ => request?.Cssrs,
            };
            var scored = InstrumentScorer.Score(definition, given ?? new Dictionary<string, int>(StringComparer.Ordinal));
            if (scored.IsSuccess)
            {
                scores.Add((definition, scored.Score));
            }
            else
            {
                foreach (var error in Measurements.AnswerErrors(scored, FieldFor(definition.Id)))
                {
                    v.Add(error.Field, error.Message);
                }
            }
        }
        if (!v.IsValid)
        {
            return Result<PublicSubmitResult>.Invalid(v.Errors);
        }
        var submission = new PreScreeningSubmission
        {
            Id = Guid.CreateVersion7(now),
            PatientId = link.PatientId,
            LinkId = link.Id,
            SubmittedAt = AuditTrail.TruncateToMicroseconds(now),
            Answers = JsonSerializer.Serialize(answers, Json),
        };
        var alerts = 0;
        foreach (var (definition, score) in scores)
        {
            var (response, alert) = await measurements.AddLinkResponseAsync(db, link, definition, score, actor, now, ct);
            alerts += alert is null ? 0 : 1;
            switch (definition.Id)
            {
                case "phq9":
                    submission.Phq9ResponseId = response.Id;
                    break;
                case "gad7":
                    submission.Gad7ResponseId = response.Id;
                    break;
                default:
                    submission.CssrsResponseId = response.Id;
                    break;
            }
        }
        db.PreScreeningSubmissions.Add(submission);
        link.UsedAt = now;
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, submission.Id.ToString(), link.PatientId,
            new { link = link.Id, antidepressants = answers.Antidepressants.Count, medications = answers.CurrentMedications.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await measurements.PublishAsync(link.PatientId, alerts > 0);
        return Result<PublicSubmitResult>.Ok(new PublicSubmitResult("done", Measurements.ThanksMessage(alerts > 0)));
    }

    /// <summary>The patient's pre-screenings for the evaluation page (the caller has checked permission and audits the read).</summary>
    internal async Task<IReadOnlyList<PreScreeningView>> ForPatientAsync(ClinicDbContext db, Guid patientId, CancellationToken ct)
    {
        var rows = await db.PreScreeningSubmissions.AsNoTracking().Where(s => s.PatientId == patientId).OrderByDescending(s => s.SubmittedAt).Take(10).ToListAsync(ct);
        var ids = rows.SelectMany(r => new[] { r.Phq9ResponseId, r.Gad7ResponseId, r.CssrsResponseId }).OfType<Guid>().ToList();
        var responses = await db.InstrumentResponses.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct);
        return rows.Select(r => new PreScreeningView(r.Id, r.SubmittedAt, JsonSerializer.Deserialize<PreScreeningAnswers>(r.Answers, Json) ?? new PreScreeningAnswers(),
            responses.Where(x => x.Id == r.Phq9ResponseId || x.Id == r.Gad7ResponseId || x.Id == r.CssrsResponseId).Select(ToSummary).ToList())).ToList();
    }

    internal ScaleSummary ToSummary(InstrumentResponse r) =>
        new(r.Id, r.InstrumentId, measurements.Catalog.Find(r.InstrumentId, r.InstrumentVersion)?.Title ?? r.InstrumentId, r.Total, r.SeverityDisplay,
            r.Flags.Length == 0 ? [] : r.Flags.Split(','), r.TakenAt);

    private static string FieldFor(string instrumentId) => instrumentId switch
    {
        "phq9" => "phq9",
        "gad7" => "gad7",
        _ => "cssrs",
    };

    private static PreScreeningAnswers Validate(Validator v, PreScreeningAnswers a)
    {
        var antidepressants = new List<PriorAntidepressant>();
        if (a.Antidepressants.Count > MaxAntidepressants)
        {
            v.Add("answers.antidepressants", $"at most {MaxAntidepressants} medicines.");
        }
        for (var i = 0; i < Math.Min(a.Antidepressants.Count, MaxAntidepressants); i++)
        {
            var at = $"answers.antidepressants[{i}]";
            var row = a.Antidepressants[i];
            var drug = v.Text($"{at}.drug", row.Drug, 100, required: false);
            if (drug is null)
            {
                if (row.DailyDoseMg is not null || row.Weeks is not null || !string.IsNullOrWhiteSpace(row.SideEffects))
                {
                    v.Add($"{at}.drug", "give the medicine's name, or leave the whole row empty.");
                }
                continue;
            }
            if (row.DailyDoseMg is { } dose && dose is <= 0m or > 1000m)
            {
                v.Add($"{at}.dailyDoseMg", "must be a daily dose in mg, more than 0 and at most 1000 (leave it empty if you do not know).");
            }
            if (row.Weeks is { } weeks && weeks is < 0m or > 520m)
            {
                v.Add($"{at}.weeks", "must be between 0 and 520 weeks (leave it empty if you do not know).");
            }
            var response = OneOf(v, $"{at}.response", row.Response, Responses);
            var sideEffects = v.Text($"{at}.sideEffects", row.SideEffects, 500, required: false);
            antidepressants.Add(row with { Drug = drug, Response = response, SideEffects = sideEffects });
        }
        var medications = new List<ReportedMedication>();
        if (a.CurrentMedications.Count > MaxMedications)
        {
            v.Add("answers.currentMedications", $"at most {MaxMedications} medicines.");
        }
        for (var i = 0; i < Math.Min(a.CurrentMedications.Count, MaxMedications); i++)
        {
            var at = $"answers.currentMedications[{i}]";
            var row = a.CurrentMedications[i];
            var name = v.Text($"{at}.name", row.Name, 100, required: false);
            if (name is null)
            {
                if (row.DailyDoseMg is not null)
                {
                    v.Add($"{at}.name", "give the medicine's name, or leave the whole row empty.");
                }
                continue;
            }
            if (row.DailyDoseMg is { } dose && dose is <= 0m or > 10_000m)
            {
                v.Add($"{at}.dailyDoseMg", "must be a daily dose in mg, more than 0 and at most 10000 (leave it empty if you do not know).");
            }
            medications.Add(row with { Name = name });
        }
        return new PreScreeningAnswers
        {
            Antidepressants = antidepressants,
            Psychotherapy = v.MultilineText("answers.psychotherapy", a.Psychotherapy, 1000, required: false),
            CurrentMedications = medications,
            SubstanceUse = v.MultilineText("answers.substanceUse", a.SubstanceUse, 1000, required: false),
            SubstanceProblem = OneOf(v, "answers.substanceProblem", a.SubstanceProblem, YesNoUnsure),
            PsychosisHistory = OneOf(v, "answers.psychosisHistory", a.PsychosisHistory, YesNoUnsure),
            ManiaHistory = OneOf(v, "answers.maniaHistory", a.ManiaHistory, YesNoUnsure),
            HighBloodPressure = OneOf(v, "answers.highBloodPressure", a.HighBloodPressure, YesNoUnsure),
            HeartOrVesselDisease = OneOf(v, "answers.heartOrVesselDisease", a.HeartOrVesselDisease, YesNoUnsure),
            CardiovascularDetails = v.MultilineText("answers.cardiovascularDetails", a.CardiovascularDetails, 1000, required: false),
            Pregnancy = OneOf(v, "answers.pregnancy", a.Pregnancy, [.. YesNoUnsure, "not-applicable"]),
        };
    }

    private static string? OneOf(Validator v, string field, string? value, IReadOnlyList<string> allowed)
    {
        var text = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!allowed.Contains(text))
        {
            v.Add(field, $"must be one of {string.Join(", ", allowed)}.");
            return null;
        }
        return text;
    }

    /// <summary>How the patient's answer reads to the physician.</summary>
    public static string Describe(PriorAntidepressant a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var parts = new List<string> { a.Drug ?? "?" };
        if (a.DailyDoseMg is { } dose)
        {
            parts.Add(dose.ToString("0.##", CultureInfo.InvariantCulture) + " mg a day");
        }
        if (a.Weeks is { } weeks)
        {
            parts.Add(weeks.ToString("0.##", CultureInfo.InvariantCulture) + " weeks");
        }
        if (a.Response is not null)
        {
            parts.Add(a.Response.Replace('-', ' '));
        }
        if (a.StoppedForSideEffects == true)
        {
            parts.Add("stopped for side effects");
        }
        if (!string.IsNullOrWhiteSpace(a.SideEffects))
        {
            parts.Add("side effects: " + a.SideEffects);
        }
        return string.Join(", ", parts);
    }
}
