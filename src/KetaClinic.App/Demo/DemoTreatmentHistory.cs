using KetaClinic.App.Data;
using KetaClinic.App.Features.Measurement;
using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Outcomes;

namespace KetaClinic.App.Demo;

/// <summary>
/// Synthetic but clinically shaped treatment histories for the demo clinic: a baseline PHQ-9 before the first
/// session, an induction series of six sessions over about two weeks, maintenance that widens from every two weeks
/// to monthly, and score trajectories of remitters, responders, non-responders and relapsers. Every response is
/// scored by the real scorer, so totals, severities and flags are what the app itself would compute.
/// </summary>
public sealed class DemoTreatmentHistory(InstrumentCatalog catalog, Random random)
{
    public enum Trajectory
    {
        Remitter,
        Responder,
        NonResponder,
        Relapser,
    }

    // Route codes as courses store them, with the built-in protocol (Protocols/Data) each demo course follows.
    private static readonly (string Route, string Protocol, int Weight)[] Routes =
    [
        ("iv", "iv-racemic-ketamine", 62),
        ("intranasal-esketamine", "esketamine-intranasal", 22),
        ("im", "im-racemic-ketamine", 10),
        ("sublingual", "sublingual-racemic-ketamine", 6),
    ];

    private static readonly KetaClinic.App.Security.Actor DemoPatient = new("system:demo-seed", "Patient (questionnaire link)", ["Patient"], null);

    public sealed record History(TreatmentCourse Course, List<TreatmentSession> Sessions, List<InstrumentResponse> Responses, List<SafetyAlert> Alerts, Trajectory Kind);

    /// <summary>One course for the patient, started <paramref name="daysAgo"/> days before <paramref name="now"/>.</summary>
    public History Build(Guid patientId, Guid locationId, Func<int, Guid> ids, int daysAgo, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var roll = random.Next(100);
        var kind = roll switch
        {
            < 30 => Trajectory.Remitter,
            < 50 => Trajectory.Responder,
            < 82 => Trajectory.NonResponder,
            _ => Trajectory.Relapser,
        };
        var (route, protocol, _) = Pick(Routes);
        var n = 0;
        Guid Next() => ids(n++);

        // First session on a weekday morning, in clinic time.
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).AddDays(-daysAgo);
        while (firstDay.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            firstDay = firstDay.AddDays(1);
        }
        var course = new TreatmentCourse
        {
            Id = Next(),
            PatientId = patientId,
            LocationId = locationId,
            Route = route,
            ProtocolCode = protocol,
            Status = "active",
            CreatedAt = At(firstDay.AddDays(-14), 9, zone),
        };

        // Induction: Mon/Wed/Fri-like spacing (2, 2, 3 days), six sessions; maintenance every 14 then 28 days.
        var days = new List<DateOnly> { firstDay };
        int[] spacing = [2, 2, 3, 2, 2];
        foreach (var gap in spacing)
        {
            days.Add(Weekday(days[^1].AddDays(gap)));
        }
        var stopAfterInduction = kind == Trajectory.NonResponder && random.Next(100) < 70;
        if (!stopAfterInduction)
        {
            days.Add(Weekday(days[^1].AddDays(14)));
            for (var i = 0; i < 12; i++)
            {
                days.Add(Weekday(days[^1].AddDays(28)));
            }
        }
        var hour = 8 + random.Next(8);
        var sessions = new List<TreatmentSession>();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        foreach (var day in days)
        {
            var start = At(day, hour, zone);
            var past = day < today;
            if (!past && sessions.Count(s => s.Status == "scheduled") >= 2)
            {
                break;
            }
            sessions.Add(new TreatmentSession
            {
                Id = Next(),
                CourseId = course.Id,
                PatientId = patientId,
                LocationId = locationId,
                SequenceNumber = sessions.Count + 1,
                ScheduledStart = start,
                Status = past ? "completed" : "scheduled",
                CompletedAt = past ? start.AddMinutes(route == "intranasal-esketamine" ? 130 : 90) : null,
            });
        }
        if (stopAfterInduction && sessions.All(s => s.Status == "completed"))
        {
            course.Status = "completed";
            course.EndedAt = sessions[^1].CompletedAt;
        }

        // Scores: PHQ-9 before every session (and GAD-7 at baseline and every third), plus one before the first.
        var baseline = 15 + random.Next(13);
        var responses = new List<InstrumentResponse>();
        var alerts = new List<SafetyAlert>();
        var relapseAfter = 6 + random.Next(3);
        var phq9 = catalog.Get("phq9");
        var gad7 = catalog.Get("gad7");
        var screening = At(firstDay.AddDays(-7 - random.Next(7)), 10, zone);
        responses.Add(Response(phq9, patientId, Next(), Clamp(baseline + random.Next(-2, 3), 27), screening, false));
        var completed = sessions.Where(s => s.Status == "completed").ToList();
        for (var i = 0; i < completed.Count; i++)
        {
            var factor = Factor(kind, i, relapseAfter);
            var total = Clamp((int)Math.Round((baseline * factor) + random.Next(-2, 3)), 27);
            var takenAt = completed[i].ScheduledStart.AddMinutes(-25);
            // A few patients report thoughts of self-harm while still depressed: the alert a physician must see.
            var ideation = total >= 15 && random.Next(100) < 4;
            var r = Response(phq9, patientId, Next(), total, takenAt, ideation);
            r.SessionId = completed[i].Id;
            responses.Add(r);
            if (ideation)
            {
                var recent = takenAt > now.AddDays(-10);
                alerts.Add(new SafetyAlert
                {
                    Id = Next(),
                    PatientId = patientId,
                    Kind = "suicidal-ideation",
                    Severity = "high",
                    Message = "Patient Health Questionnaire-9 (PHQ-9): item 9 (Thoughts of death or self-harm) answered \"Several days\" (patient self-report).",
                    ResponseId = r.Id,
                    RaisedAt = takenAt,
                    AcknowledgedAt = recent ? null : takenAt.AddMinutes(20),
                    AcknowledgedBy = recent ? null : "system:demo-seed",
                    AcknowledgedByName = recent ? null : "Dr. Priya Raman",
                    ActionTaken = recent ? null : "safety-plan",
                    Note = recent ? null : "Passive thoughts, no plan or intent; safety plan reviewed, session went ahead.",
                });
            }
            // In maintenance the clinic also asks for a PHQ-9 between visits, ten days after each session.
            var between = takenAt.AddDays(10);
            if (i >= 6 && between < now)
            {
                var b = Response(phq9, patientId, Next(), Clamp((int)Math.Round((baseline * Factor(kind, i, relapseAfter)) + random.Next(-2, 3)), 27), between, false);
                responses.Add(b);
            }
            if (i % 3 == 0)
            {
                var g = Response(gad7, patientId, Next(), Clamp((int)Math.Round(total * 0.7) + random.Next(-1, 2), 21), takenAt.AddMinutes(2), false);
                g.SessionId = completed[i].Id;
                responses.Add(g);
            }
        }
        return new History(course, sessions, responses, alerts, kind);
    }

    /// <summary>Fraction of baseline at the i-th session (0 = first dose, measured before it).</summary>
    private double Factor(Trajectory kind, int i, int relapseAfter) => i == 0
        ? 1.0
        : kind switch
        {
            Trajectory.Remitter => Math.Max(0.1, 1.0 - (0.22 * i)),
            Trajectory.Responder => Math.Max(0.4, 1.0 - (0.12 * i)),
            Trajectory.NonResponder => Math.Max(0.7, 1.0 - (0.05 * i)),
            _ => i < relapseAfter ? Math.Max(0.25, 1.0 - (0.18 * i)) : 0.75 + (random.NextDouble() * 0.2),
        };

    /// <summary>A patient-link response with the given total, spread over the items and scored by the real scorer.</summary>
    internal static InstrumentResponse Response(InstrumentDefinition d, Guid patientId, Guid id, int total, DateTimeOffset takenAt, bool ideation)
    {
        // Spread the total over the scored items (0–3 each); item 9 only when ideation is wanted.
        var scored = d.Items.Where(i => i.IsScored).Select(i => i.Id).ToList();
        var answers = scored.ToDictionary(i => i, _ => 0, StringComparer.Ordinal);
        var rng = new Random(id.GetHashCode());
        var candidates = d.Id == "phq9" ? scored.Where(i => i != "9").ToList() : scored;
        var remaining = Math.Min(total, candidates.Count * 3);
        if (ideation)
        {
            answers["9"] = 1;
            remaining = Math.Min(Math.Max(0, total - 1), candidates.Count * 3);
        }
        while (remaining > 0)
        {
            var item = candidates[rng.Next(candidates.Count)];
            if (answers[item] < 3)
            {
                answers[item]++;
                remaining--;
            }
        }
        var score = InstrumentScorer.Score(d, answers);
        if (!score.IsSuccess)
        {
            throw new InvalidOperationException("Demo answers did not score: " + string.Join("; ", score.Errors));
        }
        // Stored exactly as the app stores a questionnaire answered through a link.
        return Measurements.NewResponse(patientId, d, score.Score, takenAt, takenAt, DemoPatient, "patient-link", null, null, id);
    }

    private (string Route, string Protocol, int Weight) Pick((string Route, string Protocol, int Weight)[] options)
    {
        var roll = random.Next(options.Sum(o => o.Weight));
        foreach (var o in options)
        {
            roll -= o.Weight;
            if (roll < 0)
            {
                return o;
            }
        }
        return options[^1];
    }

    private static int Clamp(int v, int max) => Math.Clamp(v, 0, max);

    internal static DateOnly Weekday(DateOnly d) => d.DayOfWeek switch
    {
        DayOfWeek.Saturday => d.AddDays(2),
        DayOfWeek.Sunday => d.AddDays(1),
        _ => d,
    };

    internal static DateTimeOffset At(DateOnly day, int hour, TimeZoneInfo zone) =>
        ClinicSettings.ToInstant(day.ToDateTime(new TimeOnly(hour, 0)), zone);
}
