using System.Globalization;
using System.Text.Json;
using KetaClinic.Cli;

namespace KetaClinic.App.Tests;

/// <summary>The stateless clinical commands (score, outcome, evaluate), run in-process; no database is involved.</summary>
public sealed class ClinicalCliTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 0, 0, TimeSpan.Zero);

    // ---- score ----

    public static TheoryData<string, int, int, string> SeverityBands => new()
    {
        // instrument, items, item maximum, bands as "min-max:slug;..." (REFERENCE.md §1)
        { "phq9", 9, 3, "0-4:none-minimal;5-9:mild;10-14:moderate;15-19:moderately-severe;20-27:severe" },
        { "gad7", 7, 3, "0-4:minimal;5-9:mild;10-14:moderate;15-21:severe" },
        { "qids-sr16", 16, 3, "0-5:none;6-10:mild;11-15:moderate;16-20:severe;21-27:very-severe" },
        { "madrs", 10, 6, "0-6:normal;7-19:mild;20-34:moderate;35-60:severe" },
    };

    [Theory]
    [MemberData(nameof(SeverityBands))]
    public async Task Every_total_of_an_instrument_gets_its_severity_band_by_name(string instrument, int items, int itemMaximum, string bands)
    {
        var expected = bands.Split(';').Select(b =>
        {
            var (range, slug) = (b.Split(':')[0], b.Split(':')[1]);
            return (Min: int.Parse(range.Split('-')[0], CultureInfo.InvariantCulture), Max: int.Parse(range.Split('-')[1], CultureInfo.InvariantCulture), Slug: slug);
        }).ToList();

        for (var total = expected[0].Min; total <= expected[^1].Max; total++)
        {
            var answers = instrument == "qids-sr16" ? QidsAnswers(total) : Spread(total, items, itemMaximum);
            var (exit, json, _) = await Run("", ["score", instrument, .. answers]);

            Assert.Equal(0, exit);
            Assert.Equal(instrument, json.GetProperty("instrument").GetString());
            Assert.Equal(total, json.GetProperty("total").GetInt32());
            Assert.Equal(expected.Single(b => total >= b.Min && total <= b.Max).Slug, json.GetProperty("severity").GetString());
        }
    }

    [Fact]
    public async Task The_phq9_example_prints_one_compact_line_with_total_severity_and_no_flags()
    {
        var (exit, json, text) = await Run("", "score", "phq9", "1", "2", "0", "3", "1", "0", "2", "1", "0");

        Assert.Equal(0, exit);
        Assert.StartsWith("{\"instrument\":\"phq9\",", text, StringComparison.Ordinal);
        Assert.Contains("\"total\":10,\"severity\":\"moderate\",\"flags\":[]", text, StringComparison.Ordinal);
        Assert.Equal(10, json.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("0", new string[0])]
    [InlineData("1", new[] { "suicidal-ideation" })]
    [InlineData("3", new[] { "suicidal-ideation" })]
    public async Task Phq9_item_9_above_zero_raises_the_suicidal_ideation_flag(string item9, string[] flags)
    {
        var (_, json, _) = await Run("", "score", "phq9", "0", "0", "0", "0", "0", "0", "0", "0", item9);

        Assert.Equal(flags, json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToArray());
    }

    [Fact]
    public async Task Qids_sr16_item_12_above_zero_raises_the_flag_and_grouped_domains_count_their_highest_item()
    {
        // Sleep 3 0 0 0 → 3, sad 2, appetite/weight 1 0 0 0 → 1, 2, 2, item 12 = 1, 2, 2, psychomotor 1 3 → 3.
        var (exit, json, _) = await Run("", "score", "qids-sr16", "3", "0", "0", "0", "2", "1", "0", "0", "0", "2", "2", "1", "2", "2", "1", "3");

        Assert.Equal(0, exit);
        Assert.Equal(18, json.GetProperty("total").GetInt32());
        Assert.Equal("severe", json.GetProperty("severity").GetString());
        Assert.Equal("suicidal-ideation", Assert.Single(json.GetProperty("flags").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task The_cssrs_screener_takes_a_dash_for_items_skip_logic_leaves_unasked()
    {
        var low = await Run("", "score", "cssrs-screener", "1", "0", "-", "-", "-", "0", "-");
        Assert.Equal(0, low.Exit);
        Assert.Equal("low", low.Json.GetProperty("triage").GetString());
        Assert.Equal(JsonValueKind.Null, low.Json.GetProperty("total").ValueKind);

        var high = await Run("", "score", "cssrs-screener", "1", "1", "0", "1", "0", "1", "0");
        Assert.Equal("high", high.Json.GetProperty("triage").GetString());
        Assert.Contains("suicide-risk-high", high.Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        var wrong = await Run("", "score", "cssrs-screener", "1", "0", "1", "-", "-", "0", "-");
        Assert.Equal(2, wrong.Exit);
        var error = Error(wrong.Json);
        Assert.Contains("cssrs-screener item 3 (Suicidal thoughts with method)", error, StringComparison.Ordinal);
        Assert.Contains("'-'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_out_of_range_is_refused_naming_the_item_its_title_and_the_range()
    {
        var (exit, json, _) = await Run("", "score", "phq9", "1", "2", "0", "5", "1", "0", "2", "1", "0");

        Assert.Equal(2, exit);
        Assert.Equal("phq9 item 4 (Tiredness): answer 5 is out of range 0–3.", Error(json));
    }

    [Fact]
    public async Task An_answer_that_is_not_a_whole_number_is_refused_naming_the_item()
    {
        var (exit, json, _) = await Run("", "score", "gad7", "1", "x", "0", "3", "1", "0", "2.5");

        Assert.Equal(2, exit);
        Assert.Contains("gad7 item 2 (Uncontrolled worrying): 'x' is not a whole number", Error(json), StringComparison.Ordinal);
        Assert.Contains("gad7 item 7 (Feeling afraid): '2.5' is not a whole number", Error(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)] // the PHQ-9 function question is not given on the command line
    public async Task The_wrong_number_of_answers_is_refused_with_the_count_expected(int count)
    {
        var (exit, json, _) = await Run("", ["score", "phq9", .. Enumerable.Repeat("1", count)]);

        Assert.Equal(2, exit);
        Assert.Contains($"phq9 takes 9 answers, one per item in order (items 1, 2, 3, 4, 5, 6, 7, 8, 9); {count} were given", Error(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_answer_given_as_a_dash_is_refused_never_counted_as_zero()
    {
        var (exit, json, _) = await Run("", "score", "phq9", "1", "2", "0", "-", "1", "0", "2", "1", "0");

        Assert.Equal(2, exit);
        Assert.Contains("phq9 item 4 (Tiredness): is required but has no answer", Error(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_instrument_is_refused_with_the_list_of_known_ids()
    {
        var (exit, json, _) = await Run("", "score", "hads", "1");

        Assert.Equal(2, exit);
        Assert.Equal("Unknown instrument 'hads'. Known instruments: cadss6, cssrs-screener, gad7, madrs, phq9, qids-sr16.", Error(json));
    }

    // ---- outcome ----

    private const string Phq9Course = """{"instrument":"phq9","courseStart":"2026-01-05","scores":[{"date":"2026-01-02","total":20}""";

    [Fact]
    public async Task A_fall_from_20_to_8_is_a_response_of_minus_60_percent()
    {
        var (exit, json, text) = await Run(Phq9Course + """,{"date":"2026-01-12","total":12},{"date":"2026-01-19","total":8}]}""", "outcome");

        Assert.Equal(0, exit);
        Assert.Equal(20, json.GetProperty("baseline").GetInt32());
        Assert.Equal(8, json.GetProperty("latest").GetInt32());
        Assert.Equal(-60m, json.GetProperty("changePercent").GetDecimal());
        Assert.Equal("response", json.GetProperty("status").GetString());
        Assert.Equal("2026-01-19", json.GetProperty("responseDate").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("remissionDate").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("relapseDate").ValueKind);
        Assert.Single(text.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_fall_below_the_phq9_remission_threshold_is_remission_with_its_source()
    {
        var (_, json, _) = await Run(Phq9Course + """,{"date":"2026-01-12","total":9},{"date":"2026-01-19","total":4}]}""", "outcome");

        Assert.Equal("remission", json.GetProperty("status").GetString());
        Assert.Equal(-80m, json.GetProperty("changePercent").GetDecimal());
        Assert.Equal("2026-01-12", json.GetProperty("responseDate").GetString());
        Assert.Equal("2026-01-19", json.GetProperty("remissionDate").GetString());
        var remission = json.GetProperty("settings").GetProperty("remissionAtOrBelow");
        Assert.Equal(4, remission.GetProperty("value").GetInt32());
        Assert.Contains("REFERENCE.md §2", remission.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_moderate_scores_5_to_15_days_apart_after_a_response_are_a_relapse_dated_at_the_first()
    {
        var input = """
            {"instrument":"phq9","courseStart":"2026-01-05",
             "scores":[{"date":"2026-01-05","total":20},{"date":"2026-01-12","total":4},{"date":"2026-02-01","total":14},{"date":"2026-02-08","total":15}],
             "sessions":["2026-01-05","2026-01-07","2026-01-09"]}
            """;
        var (exit, json, _) = await Run(input, "outcome");

        Assert.Equal(0, exit);
        Assert.Equal("relapse", json.GetProperty("status").GetString());
        Assert.Equal("2026-02-01", json.GetProperty("relapseDate").GetString());
        Assert.Equal("consecutive-assessments", json.GetProperty("relapseTrigger").GetString());
        Assert.Equal("2026-01-12", json.GetProperty("remissionDate").GetString());
        Assert.Equal(23, json.GetProperty("durabilityDays").GetInt32()); // last session 2026-01-09 to 2026-02-01
    }

    [Fact]
    public async Task A_suicide_attempt_after_a_response_is_a_relapse_on_its_date()
    {
        var input = """
            {"instrument":"madrs","courseStart":"2026-01-05","scores":[{"date":"2026-01-04","total":34},{"date":"2026-01-10","total":16}],
             "events":[{"kind":"suicide-attempt","date":"2026-01-20"}]}
            """;
        var (_, json, _) = await Run(input, "outcome");

        Assert.Equal("relapse", json.GetProperty("status").GetString());
        Assert.Equal("2026-01-20", json.GetProperty("relapseDate").GetString());
        Assert.Equal("suicide-attempt", json.GetProperty("relapseTrigger").GetString());
    }

    [Fact]
    public async Task A_fall_of_less_than_half_is_non_response()
    {
        var (_, json, _) = await Run(Phq9Course + """,{"date":"2026-01-19","total":11}]}""", "outcome");

        Assert.Equal("non-response", json.GetProperty("status").GetString());
        Assert.Equal(-45m, json.GetProperty("changePercent").GetDecimal());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("responseDate").ValueKind);
    }

    [Fact]
    public async Task A_score_dated_on_the_course_start_is_the_pre_dose_baseline()
    {
        var (_, json, _) = await Run("""{"instrument":"phq9","courseStart":"2026-01-05","scores":[{"date":"2026-01-02","total":24},{"date":"2026-01-05","total":20},{"date":"2026-01-12","total":10}]}""", "outcome");

        Assert.Equal(20, json.GetProperty("baseline").GetInt32());
        Assert.Equal("2026-01-05", json.GetProperty("baselineDate").GetString());
        Assert.Equal("response", json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_a_score_before_the_course_the_status_is_needs_baseline_and_the_baseline_null()
    {
        var (exit, json, _) = await Run("""{"instrument":"phq9","courseStart":"2026-01-05","scores":[{"date":"2026-01-06","total":20},{"date":"2026-01-20","total":4}]}""", "outcome");

        Assert.Equal(0, exit);
        Assert.Equal("needs-baseline", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("baseline").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("changePercent").ValueKind);
        Assert.Equal(4, json.GetProperty("latest").GetInt32());
        Assert.Contains("on or before courseStart (2026-01-05)", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_score_outside_the_instrument_range_is_refused_naming_the_entry()
    {
        var (exit, json, _) = await Run(Phq9Course + """,{"date":"2026-01-12","total":28}]}""", "outcome");

        Assert.Equal(2, exit);
        Assert.Equal("$.scores[1].total: 28 is out of range for phq9 (totals are 0–27).", Error(json));
    }

    [Fact]
    public async Task A_clinic_setting_in_the_input_overrides_the_default_and_names_itself_as_the_source()
    {
        // MADRS 12 is remission under SUSTAIN-1's ≤ 12, not under the default ≤ 10 (REFERENCE.md §2).
        var course = """{"instrument":"madrs","courseStart":"2026-01-05","scores":[{"date":"2026-01-04","total":30},{"date":"2026-01-20","total":12}]""";

        var byDefault = await Run(course + "}", "outcome");
        var sustain = await Run(course + ""","settings":{"remissionAtOrBelow":12}}""", "outcome");

        Assert.Equal("response", byDefault.Json.GetProperty("status").GetString());
        Assert.Equal("remission", sustain.Json.GetProperty("status").GetString());
        Assert.Contains("$.settings.remissionAtOrBelow", sustain.Json.GetProperty("settings").GetProperty("remissionAtOrBelow").GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"instrument":"phq9","courseStart":"2026-01-05","scores":[],"settings":{"remissionAtOrBelow":12}}""", "$.settings.remissionAtOrBelow: phq9: the relapse cut-off (10) must lie above the remission threshold (12).")]
    [InlineData("""{"instrument":"gad7","courseStart":"2026-01-05","scores":[]}""", "$.instrument: 'gad7' has no remission and relapse thresholds")]
    [InlineData("""{"instrument":"phq9","courseStart":"2026-01-05","scores":[],"sessions":["2026-01-01"]}""", "$.sessions[0]: 2026-01-01 is before courseStart (2026-01-05)")]
    [InlineData("""{"instrument":"phq9","courseStart":"5 Jan 2026","scores":[]}""", "$.courseStart: must be a date written yyyy-MM-dd")]
    [InlineData("""{"instrument":"phq9","courseStart":"2026-01-05","scores":[{"date":"2026-01-02","score":20}]}""", "$.scores[0].score: is not a known field")]
    [InlineData("""{"instrument":"phq9","courseStart":"2026-01-05"}""", "$.scores: is required.")]
    [InlineData("""{"instrument":"phq9","courseStart":"2026-01-05","scores":[{"date":"2026-01-02","total":12.5}]}""", "$.scores[0].total: must be a whole number, not 12.5.")]
    public async Task Bad_outcome_input_is_refused_naming_the_path_and_the_rule(string input, string message)
    {
        var (exit, json, _) = await Run(input, "outcome");

        Assert.Equal(2, exit);
        Assert.StartsWith(message, Error(json), StringComparison.Ordinal);
    }

    // ---- evaluate ----

    private const string ScreeningAllNo = """
        "screening": {
          "aneurysmalVascularDisease": false, "arteriovenousMalformation": false, "intracerebralHaemorrhageHistory": false,
          "ketamineHypersensitivity": false, "hypertensiveEncephalopathyHistory": false, "uncontrolledHypertension": false,
          "pregnancy": false, "hepaticImpairment": false, "interstitialOrUlcerativeCystitis": false,
          "cognitiveImpairment": false, "psychosisHistory": false, "substanceUseDisorderHistory": false
        }
        """;

    private static string Evaluation(string trials, string screening = ScreeningAllNo, string medications = """ "currentMedications": [] """) => $$"""
        {
          "evaluatedOn": "2026-03-10",
          "episodeOnset": "2024-11-01",
          "baselineSeverity": "severe-without-psychosis",
          "trials": [{{trials}}],
          "augmentationUsed": true,
          "ect": "not-received",
          {{screening}},
          {{medications}}
        }
        """;

    private const string TwoClassesFailed = """
        { "drug": "sertraline", "maxDailyDoseMg": 150, "weeksAtDose": 8, "outcome": "no-response", "inCurrentEpisode": true },
        { "drug": "Venlafaxine XR", "maxDailyDoseMg": 225, "weeksAtDose": 10, "outcome": "partial-response", "startDate": "2025-06-02", "endDate": "2025-09-15" }
        """;

    [Fact]
    public async Task Two_adequate_failures_in_different_classes_and_a_clear_screen_are_eligible_with_staging()
    {
        var (exit, json, text) = await Run(Evaluation(TwoClassesFailed), "evaluate");

        Assert.Equal(0, exit);
        Assert.Single(text.TrimEnd().Split('\n'));
        Assert.Equal("eligible", json.GetProperty("decision").GetString());
        Assert.Equal("2026-09-10", json.GetProperty("expiresOn").GetString());
        var trd = json.GetProperty("trd");
        Assert.Equal("met", trd.GetProperty("status").GetString());
        Assert.Equal(2, trd.GetProperty("adequateFailedTrials").GetInt32());
        Assert.Equal("ssri,snri", string.Join(",", trd.GetProperty("failedClasses").EnumerateArray().Select(c => c.GetString())));
        var maudsley = json.GetProperty("maudsley");
        Assert.Equal(8, maudsley.GetProperty("total").GetInt32()); // 16 months 2 + severe 4 + 2 drugs 1 + augmentation 1
        Assert.Equal("moderate", maudsley.GetProperty("band").GetString());
        Assert.Equal("II", json.GetProperty("thaseRushStage").GetString());
        Assert.All(json.GetProperty("reasons").EnumerateArray(), reason =>
        {
            Assert.False(string.IsNullOrWhiteSpace(reason.GetProperty("code").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(reason.GetProperty("sentence").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(reason.GetProperty("source").GetString()));
            Assert.Contains(reason.GetProperty("effect").GetString(), (string[])["information", "caution"]);
        });
    }

    [Fact]
    public async Task A_trial_started_after_the_episode_onset_is_taken_as_in_the_current_episode()
    {
        var (_, json, _) = await Run(Evaluation(TwoClassesFailed), "evaluate");

        Assert.Equal("counts", json.GetProperty("trials")[1].GetProperty("contribution").GetString());
        Assert.Equal("venlafaxine", json.GetProperty("trials")[1].GetProperty("catalogueName").GetString());
    }

    [Fact]
    public async Task An_absolute_contraindication_makes_the_patient_not_eligible()
    {
        var screening = ScreeningAllNo.Replace("\"aneurysmalVascularDisease\": false", "\"aneurysmalVascularDisease\": true", StringComparison.Ordinal);
        var (exit, json, _) = await Run(Evaluation(TwoClassesFailed, screening), "evaluate");

        Assert.Equal(0, exit);
        Assert.Equal("not-eligible", json.GetProperty("decision").GetString());
        var block = Assert.Single(json.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("effect").GetString() == "blocks");
        Assert.Equal("absolute-contraindication", block.GetProperty("code").GetString());
        Assert.Equal("aneurysmal-vascular-disease", block.GetProperty("subject").GetString());
        Assert.Contains("Contraindications", block.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_information_makes_the_decision_needs_review_naming_what_is_missing()
    {
        var screening = ScreeningAllNo.Replace("\"pregnancy\": false,", string.Empty, StringComparison.Ordinal);
        var (exit, json, _) = await Run(Evaluation(TwoClassesFailed, screening, medications: "\"currentMedications\": null"), "evaluate");

        Assert.Equal(0, exit);
        Assert.Equal("needs-review", json.GetProperty("decision").GetString());
        var review = json.GetProperty("reasons").EnumerateArray().Where(r => r.GetProperty("effect").GetString() == "needs-review").ToList();
        Assert.Contains(review, r => r.GetProperty("code").GetString() == "screening-answer-unknown" && r.GetProperty("subject").GetString() == "pregnancy");
        Assert.Contains(review, r => r.GetProperty("code").GetString() == "current-medications-missing");
        Assert.Equal(2, review.Count);
    }

    [Fact]
    public async Task An_empty_evaluation_needs_review_and_lists_every_missing_item()
    {
        var (_, json, _) = await Run("""{"evaluatedOn":"2026-03-10"}""", "evaluate");

        Assert.Equal("needs-review", json.GetProperty("decision").GetString());
        var codes = json.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("trials-missing", codes);
        Assert.Contains("episode-onset-missing", codes);
        Assert.Contains("baseline-severity-missing", codes);
        Assert.Contains("augmentation-history-missing", codes);
        Assert.Contains("ect-history-missing", codes);
        Assert.Contains("current-medications-missing", codes);
        Assert.Equal(12, codes.Count(c => c == "screening-answer-unknown"));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("maudsley").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("thaseRushStage").ValueKind);
    }

    [Fact]
    public async Task Two_failures_of_the_same_class_do_not_establish_treatment_resistance()
    {
        const string trials = """
            { "drug": "sertraline", "maxDailyDoseMg": 150, "weeksAtDose": 8, "outcome": "no-response", "inCurrentEpisode": true },
            { "drug": "fluoxetine", "maxDailyDoseMg": 40, "weeksAtDose": 8, "outcome": "no-response", "inCurrentEpisode": true }
            """;
        var (_, json, _) = await Run(Evaluation(trials), "evaluate");

        Assert.Equal("not-eligible", json.GetProperty("decision").GetString());
        var trd = json.GetProperty("trd");
        Assert.Equal("not-met", trd.GetProperty("status").GetString());
        Assert.Equal(2, trd.GetProperty("adequateFailedTrials").GetInt32());
        Assert.Equal(1, trd.GetProperty("qualifyingFailures").GetInt32());
        Assert.Equal("ssri", string.Join(",", trd.GetProperty("failedClasses").EnumerateArray().Select(c => c.GetString())));
        Assert.Equal("I", json.GetProperty("thaseRushStage").GetString());
        Assert.Contains(json.GetProperty("reasons").EnumerateArray(),
            r => r.GetProperty("code").GetString() == "trd-not-met" && r.GetProperty("effect").GetString() == "blocks");
    }

    [Fact]
    public async Task An_unknown_drug_counts_only_with_a_physician_class_and_dose_confirmation()
    {
        const string known = """{ "drug": "sertraline", "maxDailyDoseMg": 150, "weeksAtDose": 8, "outcome": "no-response", "inCurrentEpisode": true },""";
        const string unknown = """{ "drug": "esmirtazapine", "maxDailyDoseMg": 4.5, "weeksAtDose": 8, "outcome": "no-response", "inCurrentEpisode": true""";

        var unconfirmed = await Run(Evaluation(known + unknown + "}"), "evaluate");
        var confirmed = await Run(Evaluation(known + unknown + """, "drugClass": "nassa", "physicianDoseConfirmation": "4.5 mg is the licensed dose" }"""), "evaluate");

        Assert.Equal("needs-review", unconfirmed.Json.GetProperty("decision").GetString());
        Assert.Equal("undetermined", unconfirmed.Json.GetProperty("trd").GetProperty("status").GetString());
        Assert.Contains(unconfirmed.Json.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "trial-drug-not-in-catalogue");
        Assert.Equal("eligible", confirmed.Json.GetProperty("decision").GetString());
        Assert.Equal(2, confirmed.Json.GetProperty("trd").GetProperty("adequateFailedTrials").GetInt32());
    }

    [Fact]
    public async Task Without_an_evaluation_date_the_evaluation_is_dated_today()
    {
        var (_, json, _) = await Run("{}", "evaluate");

        Assert.Equal("2026-03-10", json.GetProperty("evaluatedOn").GetString());
    }

    [Theory]
    [InlineData("""{"evaluatedOn": "2026-03-10", """, "Standard input is not valid JSON at line 1")]
    [InlineData("""[]""", "$: must be a JSON object, not an array.")]
    [InlineData("""{"age": 42}""", "$.age: is not a known field")]
    [InlineData("""{"trials": [{"drug": "sertraline", "maxDailyDoseMg": "150"}]}""", "$.trials[0].maxDailyDoseMg: must be a number, not \"150\".")]
    [InlineData("""{"trials": [{"drug": "sertraline", "maxDailyDoseMg": 0}]}""", "$.trials[0].maxDailyDoseMg: must be more than 0 mg, not 0.")]
    [InlineData("""{"trials": [{"drug": "sertraline", "outcome": "failed"}]}""", "$.trials[0].outcome: 'failed' is not allowed; use one of: no-response, partial-response, response, stopped-for-side-effects, stopped-for-non-adherence.")]
    [InlineData("""{"trials": [{"drug": "sertraline", "drugClass": "snri"}]}""", "$.trials[0].drugClass: 'snri' contradicts the catalogue")]
    [InlineData("""{"episodeOnset": "2025-01-01", "trials": [{"drug": "sertraline", "endDate": "2024-06-01", "inCurrentEpisode": true}]}""", "$.trials[0].inCurrentEpisode: is true, but endDate 2024-06-01 is before episodeOnset (2025-01-01).")]
    [InlineData("""{"baselineSeverity": "severe"}""", "$.baselineSeverity: 'severe' is not allowed")]
    [InlineData("""{"screening": {"pregnancy": "no"}}""", "$.screening.pregnancy: must be true or false")]
    [InlineData("""{"justifications": {"ketamineHypersensitivity": "mild rash only"}}""", "$.justifications.ketamineHypersensitivity: hypersensitivity to ketamine, esketamine or an excipient is an absolute contraindication")]
    [InlineData("""{"currentMedications": [{"name": "lorazepam", "dailyDoseMg": -1}]}""", "$.currentMedications[0].dailyDoseMg: must be more than 0 mg")]
    [InlineData("""{"evaluatedOn": "2026-03-10", "evaluatedOn": "2026-03-11"}""", "$.evaluatedOn: is given twice.")]
    [InlineData("", "Standard input is empty")]
    public async Task Bad_evaluation_input_is_refused_naming_the_path_and_the_rule(string input, string message)
    {
        var (exit, json, _) = await Run(input, "evaluate");

        Assert.Equal(2, exit);
        Assert.StartsWith(message, Error(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_that_read_standard_input_refuse_arguments()
    {
        var (exit, json, _) = await Run("{}", "evaluate", "input.json");

        Assert.Equal(2, exit);
        Assert.Contains("reads one JSON object on standard input", Error(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_examples_shown_in_the_readme_give_the_results_it_shows()
    {
        var examples = Path.Combine(RepositoryRoot(), "src", "KetaClinic.Cli", "examples");

        var evaluation = await Run(await File.ReadAllTextAsync(Path.Combine(examples, "evaluation.json")), "evaluate");
        var outcome = await Run(await File.ReadAllTextAsync(Path.Combine(examples, "outcome.json")), "outcome");

        Assert.Equal("eligible", evaluation.Json.GetProperty("decision").GetString());
        Assert.Equal(8, evaluation.Json.GetProperty("maudsley").GetProperty("total").GetInt32());
        Assert.Equal("does-not-count", evaluation.Json.GetProperty("trials")[2].GetProperty("contribution").GetString());
        Assert.Equal("response", outcome.Json.GetProperty("status").GetString());
        Assert.Equal(-60m, outcome.Json.GetProperty("changePercent").GetDecimal());
    }

    // ---- schedule ----

    [Fact]
    public async Task The_schedule_examples_shown_in_the_readme_give_the_results_it_shows()
    {
        var examples = Path.Combine(RepositoryRoot(), "src", "KetaClinic.Cli", "examples");

        var (exit, json, _) = await Run(string.Empty, "schedule", "propose", "--file", Path.Combine(examples, "schedule-propose.json"));

        Assert.Equal(0, exit);
        Assert.True(json.GetProperty("found").GetBoolean());
        var days = json.GetProperty("appointments").EnumerateArray().Select(a => a.GetProperty("day").GetString()).ToList();
        Assert.Equal(["2026-03-09", "2026-03-13", "2026-03-16", "2026-03-18", "2026-03-20", "2026-03-23"], days);
        var first = json.GetProperty("appointments")[0];
        Assert.Equal("s-100-1", first.GetProperty("id").GetString());
        Assert.Equal("08:00", first.GetProperty("start").GetString());
        Assert.Equal("09:30", first.GetProperty("end").GetString());
        Assert.Equal("pump-1", first.GetProperty("chairId").GetString());

        var replan = await Run(await File.ReadAllTextAsync(Path.Combine(examples, "schedule-replan.json")), "schedule", "replan");

        Assert.Equal(0, replan.Exit);
        var move = Assert.Single(replan.Json.GetProperty("moved").EnumerateArray());
        Assert.Equal("s1-2", move.GetProperty("id").GetString());
        Assert.Equal("2026-03-04", move.GetProperty("to").GetProperty("day").GetString());
        Assert.Equal("12:00", move.GetProperty("to").GetProperty("start").GetString());
        Assert.Equal("pump-1", move.GetProperty("to").GetProperty("chairId").GetString());
    }

    [Fact]
    public async Task A_series_that_cannot_fit_exits_1_naming_the_constraint_and_why()
    {
        var example = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "KetaClinic.Cli", "examples", "schedule-propose.json"));

        // Until 22 March only five sessions fit: Friday 6 March is a closure and 11 March the patient is away.
        var (exit, json, _) = await Run(example.Replace("\"latestDay\": \"2026-03-27\"", "\"latestDay\": \"2026-03-22\"", StringComparison.Ordinal), "schedule", "propose");

        Assert.Equal(1, exit);
        Assert.False(json.GetProperty("found").GetBoolean());
        Assert.Equal("patient-hours", json.GetProperty("failedConstraint").GetString());
        Assert.Contains("cannot hold the 6 sessions", json.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"protocol\": \"iv-racemic-ketamine\"", "\"protocol\": \"iv\"", "$.plan.protocol: 'iv' is not a protocol")]
    [InlineData("\"phase\": \"induction\"", "\"phase\": \"maintenance\"", "$.plan.phase: 'maintenance' is not a series phase")]
    [InlineData("\"start\": \"08:00\", \"end\": \"09:30\"", "\"start\": \"8am\", \"end\": \"09:30\"", "$.calendar.appointments[0].start: must be a clinic wall-clock time")]
    [InlineData("\"chairId\": \"pump-1\", \"day\": \"2026-03-02\", \"start\": \"08:00\"", "\"chairId\": \"pump-9\", \"day\": \"2026-03-02\", \"start\": \"08:00\"", "$.calendar.appointments[0].chairId: 'pump-9' is not a chair")]
    [InlineData("\"earliestDay\": \"2026-03-02\"", "\"earliestDay\": \"2026-04-02\"", "$.plan.latestDay: must not be before")]
    [InlineData("\"day\": \"monday\", \"from\": \"08:00\", \"to\": \"12:00\"", "\"day\": \"monday\", \"from\": \"12:00\", \"to\": \"08:00\"", "$.plan.availability.windows[0].to: must be after from")]
    public async Task Bad_schedule_input_exits_2_naming_the_json_path(string find, string replace, string error)
    {
        var example = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "KetaClinic.Cli", "examples", "schedule-propose.json"));
        Assert.Contains(find, example, StringComparison.Ordinal);

        var (exit, json, _) = await Run(example.Replace(find, replace, StringComparison.Ordinal), "schedule", "propose");

        Assert.Equal(2, exit);
        Assert.Contains(error, Error(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_needs_propose_or_replan_and_an_existing_file()
    {
        var unknown = await Run("{}", "schedule", "book");
        var missing = await Run(string.Empty, "schedule", "propose", "--file", "/no/such/file.json");

        Assert.Equal(2, unknown.Exit);
        Assert.Contains("schedule propose", Error(unknown.Json), StringComparison.Ordinal);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("--file", Error(missing.Json), StringComparison.Ordinal);
    }

    // ---- helpers ----

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KetaClinic.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("KetaClinic.slnx not found above the test output directory.");
    }

    private static async Task<(int Exit, JsonElement Json, string Text)> Run(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliProgram.RunAsync(args, new StringReader(stdin), output, error, new FixedClock(Now));
        var text = output.ToString();
        Assert.Equal(string.Empty, error.ToString());
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var document = JsonDocument.Parse(text);
        return (exit, document.RootElement.Clone(), text);
    }

    private static string Error(JsonElement json) => json.GetProperty("error").GetString()!;

    /// <summary>Answers summing to <paramref name="total"/>, filled from the first item.</summary>
    private static string[] Spread(int total, int items, int itemMaximum) =>
        Enumerable.Range(0, items)
            .Select(i => Math.Clamp(total - (i * itemMaximum), 0, itemMaximum).ToString(CultureInfo.InvariantCulture))
            .ToArray();

    /// <summary>QIDS-SR16 answers whose total is <paramref name="total"/>: one item per scored domain carries the score.</summary>
    private static string[] QidsAnswers(int total)
    {
        int[] domainItems = [0, 4, 5, 9, 10, 11, 12, 13, 14]; // items 1, 5, 6, 10, 11, 12, 13, 14, 15 (0-based)
        var answers = new int[16];
        var perDomain = Spread(total, domainItems.Length, 3);
        for (var d = 0; d < domainItems.Length; d++)
        {
            answers[domainItems[d]] = int.Parse(perDomain[d], CultureInfo.InvariantCulture);
        }

        return answers.Select(a => a.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
