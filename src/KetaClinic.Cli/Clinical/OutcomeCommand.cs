using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Cli.Clinical;

/// <summary>
/// <c>ketaclinic outcome</c>: classifies one treatment course on one instrument (REFERENCE.md §2) from JSON on
/// standard input. Input dates are calendar days; on any day a score is taken before that day's session (the
/// pre-dose questionnaire), so a score dated on <c>courseStart</c> is a baseline, as in the domain's "last score
/// before the first session".
/// </summary>
internal static class OutcomeCommand
{
    private const string SettingSource = "Given in the ketaclinic outcome input";

    // Date-only input placed on a fixed clock: questionnaires and events at 08:00, sessions at 09:00, UTC.
    private static readonly TimeSpan ScoreTime = TimeSpan.FromHours(8);
    private static readonly TimeSpan SessionTime = TimeSpan.FromHours(9);

    private static readonly string[] Fields = ["instrument", "courseStart", "scores", "sessions", "events", "settings"];
    private static readonly string[] ScoreFields = ["date", "total"];
    private static readonly string[] EventFields = ["kind", "date"];
    private static readonly string[] SettingFields =
        ["responseReductionPercent", "relapseWindowMinDays", "relapseWindowMaxDays", "remissionAtOrBelow", "relapseAtOrAbove"];

    public static object Run(System.Text.Json.JsonElement root, InstrumentCatalog catalog, OutcomeSettings defaults)
    {
        var input = JsonInput.Object(root, "$", Fields);
        var instrumentId = input.String("instrument", required: true)!;
        var settings = Settings(input, instrumentId, defaults);
        var definition = catalog.Find(instrumentId);
        var range = definition?.Scoring.TotalRange;
        if (range is null || !settings.Instruments.ContainsKey(instrumentId))
        {
            var usable = catalog.InstrumentIds
                .Where(id => catalog.Find(id)!.Scoring.TotalRange is not null && settings.Instruments.ContainsKey(id));
            var reason = range is null
                ? "has no instrument definition with a total score"
                : "has no remission and relapse thresholds (give settings.remissionAtOrBelow and settings.relapseAtOrAbove)";
            throw CliInputException.At(input.At("instrument"),
                $"'{instrumentId}' {reason}; instruments that can be classified: {string.Join(", ", usable)}.");
        }

        var courseStart = input.Date("courseStart", required: true)!.Value;
        var scores = new List<AssessmentScore>();
        foreach (var (element, path) in input.Array("scores", required: true)!)
        {
            var entry = JsonInput.Object(element, path, ScoreFields);
            var date = entry.Date("date", required: true)!.Value;
            var total = entry.Int("total", required: true)!.Value;
            if (!range.Contains(total))
            {
                throw CliInputException.At(entry.At("total"), $"{total} is out of range for {instrumentId} (totals are {range}).");
            }

            scores.Add(new AssessmentScore(instrumentId, total, At(date, ScoreTime)));
        }

        var sessions = new List<DateTimeOffset>();
        foreach (var (element, path) in input.Array("sessions") ?? [])
        {
            var date = JsonInput.DateValue(element, path);
            if (date < courseStart)
            {
                throw CliInputException.At(path, $"{Codes.Date(date)} is before courseStart ({Codes.Date(courseStart)}); sessions belong to the course.");
            }

            sessions.Add(At(date, SessionTime));
        }

        var events = new List<CourseEvent>();
        foreach (var (element, path) in input.Array("events") ?? [])
        {
            var entry = JsonInput.Object(element, path, EventFields);
            var kind = entry.Code<CourseEventKind>("kind", required: true)!.Value;
            events.Add(new CourseEvent(kind, At(entry.Date("date", required: true)!.Value, ScoreTime)));
        }

        var outcome = OutcomeClassifier.Classify(
            new CourseOutcomeInput(instrumentId, At(courseStart, SessionTime), scores, sessions, events), settings);
        var thresholds = settings.ThresholdsFor(instrumentId);
        return new
        {
            instrument = outcome.InstrumentId,
            baseline = outcome.Baseline?.Total,
            baselineDate = Day(outcome.Baseline?.TakenAt),
            latest = outcome.Latest?.Total,
            latestDate = Day(outcome.Latest?.TakenAt),
            changePercent = outcome.ChangePercent,
            status = outcome.Status.ToCode(),
            responseDate = Day(outcome.FirstResponseAt),
            remissionDate = Day(outcome.FirstRemissionAt),
            relapseDate = Day(outcome.RelapseAt),
            relapseTrigger = outcome.RelapseTrigger is { } trigger ? Codes.Kebab(trigger) : null,
            lossOfResponseDate = Day(outcome.LossOfResponseAt),
            durabilityDays = outcome.DurabilityDays,
            reason = outcome.Status == OutcomeStatus.NeedsBaseline
                ? $"No {instrumentId} score dated on or before courseStart ({Codes.Date(courseStart)}); the baseline is the last score before the first session."
                : outcome.Reason,
            settings = new
            {
                responseReductionPercent = Setting(settings.ResponseReductionPercent),
                remissionAtOrBelow = Setting(thresholds.RemissionAtOrBelow),
                relapseAtOrAbove = Setting(thresholds.RelapseAtOrAbove),
                relapseWindowMinDays = Setting(settings.RelapseWindowMinDays),
                relapseWindowMaxDays = Setting(settings.RelapseWindowMaxDays),
            },
        };
    }

    private static OutcomeSettings Settings(JsonInput input, string instrumentId, OutcomeSettings defaults)
    {
        var overrides = input.Object("settings", required: false, SettingFields);
        if (overrides is null)
        {
            return defaults;
        }

        var settings = defaults;
        if (overrides.Decimal("responseReductionPercent") is { } percent)
        {
            settings = Guarded(overrides.At("responseReductionPercent"), () =>
                settings.WithResponseReduction(new ClinicalSetting<decimal>(percent, Source(overrides, "responseReductionPercent"))));
        }

        var minDays = overrides.Int("relapseWindowMinDays");
        var maxDays = overrides.Int("relapseWindowMaxDays");
        if (minDays is not null || maxDays is not null)
        {
            settings = Guarded(overrides.At(minDays is not null ? "relapseWindowMinDays" : "relapseWindowMaxDays"), () => settings.WithRelapseWindow(
                minDays is { } min ? new ClinicalSetting<int>(min, Source(overrides, "relapseWindowMinDays")) : settings.RelapseWindowMinDays,
                maxDays is { } max ? new ClinicalSetting<int>(max, Source(overrides, "relapseWindowMaxDays")) : settings.RelapseWindowMaxDays));
        }

        var remission = overrides.Int("remissionAtOrBelow");
        var relapse = overrides.Int("relapseAtOrAbove");
        if (remission is not null || relapse is not null)
        {
            settings.Instruments.TryGetValue(instrumentId, out var current);
            if (current is null && (remission is null || relapse is null))
            {
                throw CliInputException.At(overrides.At(remission is null ? "remissionAtOrBelow" : "relapseAtOrAbove"),
                    $"is required: '{instrumentId}' has no default thresholds, so give both remissionAtOrBelow and relapseAtOrAbove.");
            }

            settings = Guarded(overrides.At(remission is not null ? "remissionAtOrBelow" : "relapseAtOrAbove"), () => settings.WithInstrument(
                new InstrumentOutcomeThresholds(
                    instrumentId,
                    remission is { } r ? new ClinicalSetting<int>(r, Source(overrides, "remissionAtOrBelow")) : current!.RemissionAtOrBelow,
                    relapse is { } c ? new ClinicalSetting<int>(c, Source(overrides, "relapseAtOrAbove")) : current!.RelapseAtOrAbove)));
        }

        return settings;
    }

    // The domain guards its settings (ranges, remission below the relapse cut-off); its message states the rule.
    private static OutcomeSettings Guarded(string path, Func<OutcomeSettings> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException ex)
        {
            throw CliInputException.At(path, FirstLine(ex.Message));
        }
    }

    private static string Source(JsonInput overrides, string name) => $"{SettingSource} ({overrides.At(name)})";

    private static object Setting<T>(ClinicalSetting<T> setting)
        where T : struct => new { value = setting.Value, source = setting.Source };

    private static DateTimeOffset At(DateOnly date, TimeSpan time) => new(date.ToDateTime(TimeOnly.FromTimeSpan(time)), TimeSpan.Zero);

    private static string? Day(DateTimeOffset? at) => at is { } value ? Codes.Date(DateOnly.FromDateTime(value.Date)) : null;

    // ArgumentException appends " (Parameter 'x')" and the actual value on further lines.
    private static string FirstLine(string message)
    {
        var end = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        var text = end > 0 ? message[..end] : message.Split('\n')[0];
        return text.TrimEnd();
    }
}
