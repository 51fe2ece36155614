using System.Text.Json.Nodes;
using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class DefinitionLoaderTests
{
    private const string FileName = "clinic/test-scale.json";

    // A small definition exercising every feature: an answer set, an inline option list, a max-group,
    // skip logic, bands, a flag and a triage. Each test breaks one thing.
    private const string ValidJson = """
        {
          "id": "test-scale",
          "version": "1.0.0",
          "title": "Test scale",
          "rater": "patient",
          "recallWindowDays": 7,
          "loinc": { "panel": "44249-1", "total": "44261-6" },
          "licence": { "wordingIncluded": true, "note": "Written for tests." },
          "answerSets": [
            { "id": "zero-two", "answerOption": [
              { "value": 0, "score": 0, "display": "None" },
              { "value": 1, "score": 1, "display": "Some" },
              { "value": 2, "score": 2, "display": "Much" } ] }
          ],
          "item": [
            { "linkId": "a", "shortTitle": "A", "text": "Item A", "scored": true, "required": true, "answerSet": "zero-two" },
            { "linkId": "b", "shortTitle": "B", "scored": true, "required": true, "answerSet": "zero-two" },
            { "linkId": "c", "shortTitle": "C", "scored": true, "required": true, "answerSet": "zero-two" },
            { "linkId": "gate", "shortTitle": "Gate", "scored": false, "required": true,
              "answerOption": [ { "value": 0, "display": "No" }, { "value": 1, "display": "Yes" } ] },
            { "linkId": "follow-up", "shortTitle": "Follow-up", "scored": false, "required": true,
              "answerOption": [ { "value": 0, "display": "No" }, { "value": 1, "display": "Yes" } ],
              "enableWhen": [ { "question": "gate", "operator": "=", "answer": 1 } ] }
          ],
          "scoring": {
            "method": "sum",
            "itemScoreRange": { "min": 0, "max": 2 },
            "totalRange": { "min": 0, "max": 4 },
            "groups": [ { "id": "b-or-c", "title": "B or C", "combine": "max", "items": [ "b", "c" ] } ]
          },
          "severityBands": [
            { "code": "low", "display": "Low", "min": 0, "max": 1 },
            { "code": "high", "display": "High", "min": 2, "max": 4 }
          ],
          "flags": [ { "code": "a-high", "item": "a", "operator": ">=", "value": 2 } ],
          "triage": { "default": "none", "levels": [
            { "code": "alert", "flag": "follow-up-yes", "anyOf": [ { "item": "follow-up", "operator": "=", "value": 1 } ] } ] }
        }
        """;

    private static DefinitionLoadResult Load(Action<JsonObject> breakIt)
    {
        var root = JsonNode.Parse(ValidJson)!.AsObject();
        breakIt(root);
        return InstrumentDefinitionLoader.Load(root.ToJsonString(), FileName);
    }

    private static JsonObject Item(JsonObject root, int index) => root["item"]![index]!.AsObject();

    private static DefinitionError AssertSingleError(DefinitionLoadResult result, string path, string rule)
    {
        Assert.False(result.IsSuccess);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, rule), (error.Path, error.Rule));
        Assert.Equal(FileName, error.Source);
        return error;
    }

    [Fact]
    public void A_valid_definition_loads_and_scores_with_its_group_flag_and_triage()
    {
        var result = InstrumentDefinitionLoader.Load(ValidJson, FileName);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        var definition = result.Definition;
        Assert.Equal(("test-scale", "1.0.0", FileName), (definition.Id, definition.Version, definition.Source));
        var score = InstrumentScorer.Score(definition, new Dictionary<string, int>
        {
            ["a"] = 2, ["b"] = 1, ["c"] = 2, ["gate"] = 1, ["follow-up"] = 1,
        }).Score!;
        Assert.Equal(4, score.Total);
        Assert.Equal("high", score.Severity!.Code);
        Assert.Equal(["a-high", "follow-up-yes"], score.Flags);
        Assert.Equal("alert", score.TriageLevel);
    }

    [Fact]
    public void Malformed_json_is_an_error_naming_the_file_and_line()
    {
        var result = InstrumentDefinitionLoader.Load("{ \"id\": \"x\", ", FileName);

        var error = Assert.Single(result.Errors);
        Assert.Equal((FileName, DefinitionRules.JsonSyntax), (error.Source, error.Rule));
        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_field_is_rejected_rather_than_ignored()
    {
        var result = Load(root => Item(root, 0)["requried"] = true);

        var error = Assert.Single(result.Errors);
        Assert.Equal(DefinitionRules.JsonSyntax, error.Rule);
        Assert.Contains("requried", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_an_error_at_its_path()
    {
        var result = Load(root => Item(root, 2)["scored"] = "yes");

        var error = AssertSingleError(result, "$.item[2].scored", DefinitionRules.JsonSyntax);
        Assert.Contains("$.item[2].scored", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_null_document_is_rejected()
    {
        AssertSingleError(InstrumentDefinitionLoader.Load("null", FileName), "$", DefinitionRules.RequiredField);
    }

    [Fact]
    public void A_missing_id_is_a_required_field_error()
    {
        AssertSingleError(Load(root => root.Remove("id")), "$.id", DefinitionRules.RequiredField);
    }

    [Fact]
    public void An_id_must_be_lower_case_with_hyphens()
    {
        AssertSingleError(Load(root => root["id"] = "Test Scale"), "$.id", DefinitionRules.InvalidFormat);
    }

    [Fact]
    public void A_version_must_be_major_minor_patch()
    {
        AssertSingleError(Load(root => root["version"] = "v1"), "$.version", DefinitionRules.InvalidFormat);
    }

    [Fact]
    public void An_unknown_rater_is_rejected()
    {
        AssertSingleError(Load(root => root["rater"] = "nurse"), "$.rater", DefinitionRules.InvalidValue);
    }

    [Fact]
    public void Every_definition_must_state_its_licence()
    {
        AssertSingleError(Load(root => root.Remove("licence")), "$.licence", DefinitionRules.RequiredField);
    }

    [Fact]
    public void Wording_is_refused_when_the_licence_says_it_is_not_included()
    {
        var error = AssertSingleError(
            Load(root => root["licence"]!["wordingIncluded"] = false), "$.item[0].text", DefinitionRules.LicenceWording);
        Assert.Contains("Item 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instructions_are_wording_too()
    {
        var result = Load(root =>
        {
            root["licence"]!["wordingIncluded"] = false;
            root["instructions"] = "Over the last week…";
            Item(root, 0).Remove("text");
        });

        AssertSingleError(result, "$.instructions", DefinitionRules.LicenceWording);
    }

    [Fact]
    public void A_loinc_code_with_a_wrong_check_digit_is_rejected()
    {
        AssertSingleError(Load(root => root["loinc"]!["total"] = "44261-5"), "$.loinc.total", DefinitionRules.InvalidLoinc);
    }

    [Fact]
    public void Duplicate_item_ids_are_rejected()
    {
        var error = AssertSingleError(
            Load(root =>
            {
                Item(root, 1)["linkId"] = "a";
                root["scoring"]!["groups"]![0]!["items"] = new JsonArray("a", "c");
            }),
            "$.item[1].linkId",
            DefinitionRules.DuplicateId);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_answer_values_are_rejected()
    {
        AssertSingleError(
            Load(root => Item(root, 3)["answerOption"]![1]!["value"] = 0), "$.item[3].answerOption[1].value", DefinitionRules.DuplicateId);
    }

    [Fact]
    public void An_answer_score_outside_the_declared_item_range_is_rejected()
    {
        var result = Load(root =>
        {
            var item = Item(root, 0);
            item.Remove("answerSet");
            item["answerOption"] = new JsonArray(
                new JsonObject { ["value"] = 0, ["score"] = 0, ["display"] = "None" },
                new JsonObject { ["value"] = 3, ["score"] = 3, ["display"] = "Too much" });
        });

        Assert.Contains(result.Errors, e => e.Path == "$.item[0].answerOption[1].score" && e.Rule == DefinitionRules.ScoreOutOfRange);
    }

    [Fact]
    public void A_scored_item_needs_a_score_on_every_option()
    {
        var result = Load(root =>
        {
            var item = Item(root, 0);
            item.Remove("answerSet");
            item["answerOption"] = new JsonArray(
                new JsonObject { ["value"] = 0, ["score"] = 0, ["display"] = "None" },
                new JsonObject { ["value"] = 1, ["display"] = "Some" },
                new JsonObject { ["value"] = 2, ["score"] = 2, ["display"] = "Much" });
        });

        AssertSingleError(result, "$.item[0].answerOption[1].score", DefinitionRules.MissingScore);
    }

    [Fact]
    public void An_unscored_item_must_not_carry_scores()
    {
        AssertSingleError(
            Load(root => Item(root, 3)["answerOption"]![1]!["score"] = 1), "$.item[3].answerOption[1].score", DefinitionRules.UnexpectedScore);
    }

    [Fact]
    public void An_unknown_answer_set_is_rejected()
    {
        AssertSingleError(Load(root => Item(root, 0)["answerSet"] = "zero-three"), "$.item[0].answerSet", DefinitionRules.UnknownReference);
    }

    [Fact]
    public void An_item_may_not_have_both_an_answer_set_and_its_own_options()
    {
        var result = Load(root => Item(root, 0)["answerOption"] = new JsonArray(
            new JsonObject { ["value"] = 0, ["score"] = 0, ["display"] = "None" },
            new JsonObject { ["value"] = 1, ["score"] = 1, ["display"] = "Some" }));

        AssertSingleError(result, "$.item[0]", DefinitionRules.AnswerOptions);
    }

    [Fact]
    public void A_scored_item_must_be_required_so_a_gap_never_counts_as_zero()
    {
        AssertSingleError(Load(root => Item(root, 0)["required"] = false), "$.item[0].required", DefinitionRules.ScoredItemOptional);
    }

    [Fact]
    public void Skip_logic_may_only_refer_to_an_earlier_item()
    {
        var result = Load(root =>
        {
            Item(root, 3)["enableWhen"] = new JsonArray(new JsonObject { ["question"] = "follow-up", ["operator"] = "=", ["answer"] = 1 });
        });

        AssertSingleError(result, "$.item[3].enableWhen[0].question", DefinitionRules.SkipLogic);
    }

    [Fact]
    public void Skip_logic_on_an_unknown_item_is_rejected()
    {
        AssertSingleError(
            Load(root => Item(root, 4)["enableWhen"]![0]!["question"] = "gait"), "$.item[4].enableWhen[0].question", DefinitionRules.SkipLogic);
    }

    [Fact]
    public void Skip_logic_testing_for_an_impossible_answer_is_rejected()
    {
        AssertSingleError(
            Load(root => Item(root, 4)["enableWhen"]![0]!["answer"] = 2), "$.item[4].enableWhen[0].answer", DefinitionRules.ConditionValue);
    }

    [Fact]
    public void Skip_logic_on_a_scored_item_is_not_supported()
    {
        var result = Load(root =>
            Item(root, 2)["enableWhen"] = new JsonArray(new JsonObject { ["question"] = "a", ["operator"] = ">", ["answer"] = 0 }));

        AssertSingleError(result, "$.item[2].enableWhen", DefinitionRules.SkipLogic);
    }

    [Fact]
    public void Several_skip_conditions_need_an_enable_behaviour()
    {
        var result = Load(root => Item(root, 4)["enableWhen"] = new JsonArray(
            new JsonObject { ["question"] = "gate", ["operator"] = "=", ["answer"] = 1 },
            new JsonObject { ["question"] = "a", ["operator"] = ">", ["answer"] = 0 }));

        AssertSingleError(result, "$.item[4].enableBehavior", DefinitionRules.RequiredField);
    }

    [Fact]
    public void A_scoring_group_naming_an_unknown_item_is_rejected()
    {
        var result = Load(root => root["scoring"]!["groups"]![0]!["items"] = new JsonArray("b", "d"));

        Assert.Contains(result.Errors, e => e.Path == "$.scoring.groups[0].items[1]" && e.Rule == DefinitionRules.UnknownReference);
    }

    [Fact]
    public void An_item_may_count_in_only_one_scoring_group()
    {
        var result = Load(root => root["scoring"]!["groups"]!.AsArray().Add(
            new JsonObject { ["id"] = "a-or-b", ["title"] = "A or B", ["combine"] = "max", ["items"] = new JsonArray("a", "b") }));

        Assert.Contains(result.Errors, e => e.Path == "$.scoring.groups[1].items[1]" && e.Rule == DefinitionRules.ScoringGroup);
    }

    [Fact]
    public void A_scoring_group_may_not_hold_an_unscored_item()
    {
        var result = Load(root => root["scoring"]!["groups"]![0]!["items"] = new JsonArray("b", "c", "gate"));

        AssertSingleError(result, "$.scoring.groups[0].items[2]", DefinitionRules.ScoringGroup);
    }

    [Fact]
    public void Only_max_groups_are_supported()
    {
        AssertSingleError(
            Load(root => root["scoring"]!["groups"]![0]!["combine"] = "mean"), "$.scoring.groups[0].combine", DefinitionRules.InvalidValue);
    }

    [Fact]
    public void A_declared_total_range_that_the_items_cannot_produce_is_rejected()
    {
        var error = AssertSingleError(
            Load(root => root["scoring"]!["totalRange"]!["max"] = 6), "$.scoring.totalRange", DefinitionRules.TotalRange);
        Assert.Contains("0–4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scored_item_needs_a_declared_score_range()
    {
        var result = Load(root => root["scoring"]!.AsObject().Remove("itemScoreRange"));

        Assert.Equal(["$.item[0]", "$.item[1]", "$.item[2]"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Overlapping_severity_bands_are_rejected()
    {
        var error = AssertSingleError(
            Load(root => root["severityBands"]![1]!["min"] = 1), "$.severityBands[1].min", DefinitionRules.BandOverlap);
        Assert.Contains("'low'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_between_severity_bands_is_rejected()
    {
        var error = AssertSingleError(
            Load(root => root["severityBands"]![1]!["min"] = 3), "$.severityBands[1].min", DefinitionRules.BandGap);
        Assert.Contains("2–2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Severity_bands_must_reach_the_top_of_the_total_range()
    {
        AssertSingleError(Load(root => root["severityBands"]![1]!["max"] = 3), "$.severityBands", DefinitionRules.BandGap);
    }

    [Fact]
    public void Severity_bands_must_start_at_the_bottom_of_the_total_range()
    {
        AssertSingleError(Load(root => root["severityBands"]![0]!["min"] = 1), "$.severityBands[0].min", DefinitionRules.BandGap);
    }

    [Fact]
    public void A_severity_band_beyond_the_total_range_is_rejected()
    {
        AssertSingleError(Load(root => root["severityBands"]![1]!["max"] = 5), "$.severityBands[1]", DefinitionRules.BandInvalid);
    }

    [Fact]
    public void A_severity_band_running_backwards_is_rejected()
    {
        AssertSingleError(Load(root => root["severityBands"]![0]!["max"] = -1), "$.severityBands[0]", DefinitionRules.BandInvalid);
    }

    [Fact]
    public void Bands_listed_out_of_order_are_accepted_and_sorted()
    {
        var result = Load(root =>
        {
            var bands = root["severityBands"]!.AsArray();
            var low = bands[0]!.DeepClone();
            bands.RemoveAt(0);
            bands.Add(low);
        });

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Equal(["low", "high"], result.Definition.SeverityBands.Select(b => b.Code));
    }

    [Fact]
    public void A_flag_rule_naming_an_unknown_item_is_rejected()
    {
        AssertSingleError(Load(root => root["flags"]![0]!["item"] = "z"), "$.flags[0].item", DefinitionRules.UnknownReference);
    }

    [Fact]
    public void A_flag_rule_with_an_unknown_operator_is_rejected()
    {
        AssertSingleError(Load(root => root["flags"]![0]!["operator"] = "=>"), "$.flags[0].operator", DefinitionRules.InvalidValue);
    }

    [Fact]
    public void A_triage_level_may_not_repeat_the_default_level()
    {
        AssertSingleError(Load(root => root["triage"]!["levels"]![0]!["code"] = "none"), "$.triage.levels[0].code", DefinitionRules.DuplicateId);
    }

    [Fact]
    public void A_definition_without_a_total_may_not_mark_items_scored()
    {
        var result = Load(root =>
        {
            var scoring = root["scoring"]!.AsObject();
            scoring["method"] = "none";
            scoring.Remove("totalRange");
            scoring.Remove("groups");
            root.Remove("severityBands");
        });

        AssertSingleError(result, "$.scoring.method", DefinitionRules.ScoringNone);
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_in_one_pass()
    {
        var result = Load(root =>
        {
            root["version"] = "1";
            Item(root, 0)["required"] = false;
            root["flags"]![0]!["item"] = "z";
        });

        Assert.Equal(
            [DefinitionRules.InvalidFormat, DefinitionRules.ScoredItemOptional, DefinitionRules.UnknownReference],
            result.Errors.Select(e => e.Rule));
        Assert.All(result.Errors, e => Assert.Equal(FileName, e.Source));
    }
}
