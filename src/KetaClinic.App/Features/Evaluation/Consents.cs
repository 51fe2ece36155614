using System.Globalization;
using System.Text.RegularExpressions;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Evaluation;

/// <summary>
/// Informed consent per route: the patient signs the current version of the route's document on screen (typed full
/// name and drawn signature), a physician countersigns, and the signed text, its hash, the times and the signers are
/// kept. A consent can be withdrawn. Esketamine consents also carry the REMS patient enrolment.
/// </summary>
public sealed partial class Consents(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings clinic, ClinicEvaluationRules rules)
{
    public const string RecordType = "consent";

    /// <summary>The signature box of the signing page, in SVG user units.</summary>
    public const int SignatureWidth = 600;
    public const int SignatureHeight = 200;

    /// <summary>Path data is small (a few kB for a real signature); the cap keeps a record and a page light.</summary>
    public const int MaxSignatureLength = 20_000;

    private const int MinSignaturePoints = 5;

    public ConsentLibrary Library => rules.Consents;

    public IReadOnlyList<ConsentDocumentView> Documents() =>
        Library.Documents.Select(d => ToView(d, ReferenceEquals(Library.Current(d.Route), d))).ToList();

    public Result<IReadOnlyList<ConsentDocumentView>> DocumentsFor(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Can(Permissions.ConsentsRead)
            ? Result<IReadOnlyList<ConsentDocumentView>>.Ok(Documents())
            : Result<IReadOnlyList<ConsentDocumentView>>.Forbidden();
    }

    public static ConsentDocumentView ToView(ConsentDocument d, bool current)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Route, ConsentLibrary.RouteName(d.Route), d.Version, d.Date, d.Title, d.Sections, d.Risks, d.Hash, d.Source, current);
    }

    public async Task<Result<IReadOnlyList<ConsentView>>> ListAsync(Guid patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ConsentsRead))
        {
            return Result<IReadOnlyList<ConsentView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Result<IReadOnlyList<ConsentView>>.NotFound($"No patient with id {patientId}.");
        }
        var list = await ForPatientAsync(db, patientId, ct);
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, null, patientId, new { consents = list.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<ConsentView>>.Ok(list);
    }

    /// <summary>The patient signs the document version shown to them; the consent then awaits a physician's countersignature.</summary>
    public async Task<Result<ConsentView>> SignAsync(Guid patientId, SignConsentRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ConsentsWrite))
        {
            return Result<ConsentView>.Forbidden();
        }
        if (request is null)
        {
            return Result<ConsentView>.Invalid("body", "is required.");
        }
        var today = clinic.Today(clock);
        var v = new Validator();
        var route = ConsentLibrary.ConsentRouteFor(request.Route);
        if (route is null)
        {
            v.Add("route", $"must be one of {string.Join(", ", ConsentLibrary.Routes)}.");
        }
        var document = Library.FindVersion(request.DocumentVersion);
        if (string.IsNullOrWhiteSpace(request.DocumentVersion))
        {
            v.Add("documentVersion", "is required: the version of the document the patient read.");
        }
        else if (document is null)
        {
            v.Add("documentVersion", $"'{request.DocumentVersion.Trim()}' is not a consent document of this clinic.");
        }
        else if (route is not null && document.Route != route)
        {
            v.Add("documentVersion",
                $"{document.Version} is the consent for {ConsentLibrary.RouteName(document.Route)}, not for {ConsentLibrary.RouteName(route)}; a consent for another route cannot be signed for this one.");
        }
        else if (route is not null && !ReferenceEquals(Library.Current(route), document))
        {
            v.Add("documentVersion", $"{document.Version} has been replaced by {Library.Current(route).Version}; show the patient the current text.");
        }
        var typed = v.Text("patientTypedName", request.PatientTypedName, 210, required: true);
        var signature = ValidateSignature(v, request.PatientSignature);
        var (remsId, remsOn) = ValidateRems(v, route, request.RemsEnrolmentId, request.RemsEnrolledOn, today, "remsEnrolmentId", "remsEnrolledOn");
        if (!v.IsValid)
        {
            return Result<ConsentView>.Invalid(v.Errors);
        }
        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await db.Patients.AsNoTracking().SingleOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Result<ConsentView>.NotFound($"No patient with id {patientId}.");
        }
        if (!NameMatches(typed!, patient.LegalGivenName, patient.LegalFamilyName))
        {
            return Result<ConsentView>.Invalid("patientTypedName", $"must be the patient's full name as registered ({patient.LegalGivenName} {patient.LegalFamilyName}).");
        }
        var consent = new ConsentRecord
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patientId,
            Route = route!,
            DocumentVersion = document!.Version,
            DocumentTitle = document.Title,
            DocumentDate = document.Date,
            DocumentHash = document.Hash,
            DocumentText = document.Text,
            Status = "awaiting-countersignature",
            PatientTypedName = typed!,
            PatientSignature = signature!,
            PatientSignedAt = now,
            PresentedBy = actor.UserId,
            PresentedByName = actor.UserName,
            RemsEnrolmentId = remsId,
            RemsEnrolledOn = remsOn,
        };
        db.Consents.Add(consent);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, consent.Id.ToString(), patientId,
            new { consent.Route, consent.DocumentVersion, consent.DocumentHash, signed = "patient", rems = remsId is not null }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ConsentView>.Ok(ToView(consent));
    }

    public Task<Result<ConsentView>> CountersignAsync(Guid consentId, CountersignRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(consentId, actor, Permissions.ConsentsCountersign, (consent, now) =>
        {
            if (request?.Confirmed != true)
            {
                return Result<object>.Invalid("confirmed", "confirm that you explained the treatment and its risks and answered the patient's questions.");
            }
            if (consent.Status != "awaiting-countersignature")
            {
                return Result<object>.Conflict(consent.Status == "active" ? "This consent is already countersigned." : "This consent was withdrawn.");
            }
            consent.Status = "active";
            consent.CountersignedAt = now;
            consent.CountersignedBy = actor.UserId;
            consent.CountersignedByName = actor.UserName;
            return Result<object>.Ok(new { signed = "clinician" });
        }, ct);

    public Task<Result<ConsentView>> WithdrawAsync(Guid consentId, WithdrawConsentRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(consentId, actor, Permissions.ConsentsWrite, (consent, now) =>
        {
            var v = new Validator();
            var reason = v.MultilineText("reason", request?.Reason, 1000, required: true);
            if (!v.IsValid)
            {
                return Result<object>.Invalid(v.Errors);
            }
            if (consent.Status == "withdrawn")
            {
                return Result<object>.Conflict("This consent was already withdrawn.");
            }
            consent.Status = "withdrawn";
            consent.WithdrawnAt = now;
            consent.WithdrawnByName = actor.UserName;
            consent.WithdrawalReason = reason;
            return Result<object>.Ok(new { change = "withdrawn", reason });
        }, ct);

    public Task<Result<ConsentView>> RecordRemsAsync(Guid consentId, RemsEnrolmentRequest request, Actor actor, CancellationToken ct) =>
        ChangeAsync(consentId, actor, Permissions.ConsentsWrite, (consent, _) =>
        {
            var v = new Validator();
            var (id, on) = ValidateRems(v, consent.Route, request?.EnrolmentId, request?.EnrolledOn, clinic.Today(clock), "enrolmentId", "enrolledOn");
            if (id is null && on is null && v.IsValid)
            {
                v.Add("enrolmentId", "is required: the REMS enrolment id and the date of enrolment.");
            }
            if (!v.IsValid)
            {
                return Result<object>.Invalid(v.Errors);
            }
            if (consent.Status == "withdrawn")
            {
                return Result<object>.Conflict("This consent was withdrawn.");
            }
            consent.RemsEnrolmentId = id;
            consent.RemsEnrolledOn = on;
            return Result<object>.Ok(new { change = "rems-enrolment", on });
        }, ct);

    internal async Task<IReadOnlyList<ConsentView>> ForPatientAsync(ClinicDbContext db, Guid patientId, CancellationToken ct)
    {
        var rows = await db.Consents.AsNoTracking().Where(c => c.PatientId == patientId).ToListAsync(ct);
        return rows.OrderByDescending(c => c.PatientSignedAt).Select(ToView).ToList();
    }

    internal ConsentView ToView(ConsentRecord c) =>
        new(c.Id, c.PatientId, c.Route, ConsentLibrary.RouteName(c.Route), c.DocumentVersion, c.DocumentTitle, c.DocumentDate, c.DocumentHash, c.DocumentText,
            c.Status, c.PatientTypedName, c.PatientSignature, c.PatientSignedAt, c.PresentedByName, c.CountersignedAt, c.CountersignedByName,
            c.RemsEnrolmentId, c.RemsEnrolledOn, c.WithdrawnAt, c.WithdrawnByName, c.WithdrawalReason,
            Library.Current(c.Route).Version != c.DocumentVersion);

    private async Task<Result<ConsentView>> ChangeAsync(Guid consentId, Actor actor, string permission, Func<ConsentRecord, DateTimeOffset, Result<object>> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(permission))
        {
            return Result<ConsentView>.Forbidden(permission == Permissions.ConsentsCountersign ? "Only a physician can countersign a consent." : "Your role does not allow this.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var consent = await db.Consents.SingleOrDefaultAsync(c => c.Id == consentId, ct);
        if (consent is null)
        {
            return Result<ConsentView>.NotFound($"No consent with id {consentId}.");
        }
        var done = change(consent, AuditTrail.TruncateToMicroseconds(clock.GetUtcNow()));
        if (!done.IsOk)
        {
            return new Result<ConsentView>(done.Status, null, done.Errors, done.Message);
        }
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, consent.Id.ToString(), consent.PatientId, done.Value, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ConsentView>.Ok(ToView(consent));
    }

    /// <summary>Typed names match when they hold the registered given and family names, ignoring case and spacing.</summary>
    internal static bool NameMatches(string typed, string given, string family)
    {
        var words = Normalize(typed).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return ContainsRun(words, Normalize(given)) && ContainsRun(words, Normalize(family));

        static string Normalize(string s) => string.Join(' ', s.ToUpperInvariant().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

        static bool ContainsRun(string[] words, string name)
        {
            var parts = name.Split(' ');
            for (var i = 0; i + parts.Length <= words.Length; i++)
            {
                if (parts.Select((p, k) => words[i + k] == p).All(x => x))
                {
                    return true;
                }
            }
            return false;
        }
    }

    private static string? ValidateSignature(Validator v, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            v.Add("patientSignature", "is required: the patient draws their signature in the box.");
            return null;
        }
        var text = path.Trim();
        if (text.Length > MaxSignatureLength)
        {
            v.Add("patientSignature", $"is too large ({text.Length} characters, at most {MaxSignatureLength}); clear the box and sign again.");
            return null;
        }
        if (!SignaturePath().IsMatch(text))
        {
            v.Add("patientSignature", $"must be SVG path data of moves and lines (\"M10 20 L12 24 ...\") inside the {SignatureWidth} × {SignatureHeight} box.");
            return null;
        }
        var numbers = NumberPattern().Matches(text).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        var points = numbers.Count / 2;
        if (Enumerable.Range(0, points).Any(i => numbers[2 * i] > SignatureWidth || numbers[(2 * i) + 1] > SignatureHeight))
        {
            v.Add("patientSignature", $"has points outside the {SignatureWidth} × {SignatureHeight} box.");
            return null;
        }
        if (points < MinSignaturePoints)
        {
            v.Add("patientSignature", "is too short to be a signature; the patient draws their signature in the box.");
            return null;
        }
        return text;
    }

    private static (string? Id, DateOnly? On) ValidateRems(Validator v, string? route, string? enrolmentId, DateOnly? enrolledOn, DateOnly today, string idField, string dateField)
    {
        var id = v.Text(idField, enrolmentId, 40, required: false);
        if (id is null && enrolledOn is null)
        {
            return (null, null);
        }
        if (route is not null && route != ConsentLibrary.IntranasalEsketamine)
        {
            v.Add(idField, "REMS enrolment is only recorded for intranasal esketamine.");
            return (null, null);
        }
        if (id is null)
        {
            v.Add(idField, "is required with the enrolment date.");
        }
        else if (!RemsId().IsMatch(id))
        {
            v.Add(idField, "must be the enrolment id as issued: 3 to 40 letters, digits or dashes.");
        }
        if (enrolledOn is not { } on)
        {
            v.Add(dateField, "is required with the enrolment id.");
        }
        else if (on > today)
        {
            v.Add(dateField, "must not be in the future: the patient is enrolled before the first dose.");
        }
        return (id, enrolledOn);
    }

    [GeneratedRegex(@"^M\d{1,3} \d{1,3}( [ML]\d{1,3} \d{1,3})*$", RegexOptions.CultureInvariant)]
    private static partial Regex SignaturePath();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[A-Za-z0-9-]{3,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex RemsId();
}
