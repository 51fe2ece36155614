using System.Text.Json.Nodes;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Protocols;
using static KetaClinic.Domain.Tests.Protocols.ProtocolFixtures;

namespace KetaClinic.Domain.Tests.Protocols;

public class ProtocolLibraryTests
{
    [Fact]
    public void The_built_in_library_holds_the_five_protocols()
    {
        Assert.Equal(
            ["esketamine-intranasal", "im-racemic-ketamine", "iv-racemic-ketamine", "oral-racemic-ketamine", "sublingual-racemic-ketamine"],
            ProtocolLibrary.Default.Protocols.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Iv_ketamine_defaults_to_half_a_milligram_per_kilogram_over_forty_minutes_with_vitals_every_ten()
    {
        var iv = Iv;
        Assert.Equal(AdministrationRoute.Intravenous, iv.Route);
        Assert.Equal(DoseBasis.MgPerKg, iv.DoseBasis);
        Assert.Equal(DoseAmount.PerKg(new MgPerKg(0.5m)), iv.Dose.Default.Value);
        Assert.Equal(0.1m, iv.Dose.Minimum.Value.Value);
        Assert.Equal(0.75m, iv.Dose.Maximum.Value.Value);
        Assert.Equal(40, iv.Timing.AdministrationMinutes.Value);
        Assert.Equal(10, iv.Timing.VitalsIntervalMinutes.Value);
        Assert.Equal(90, iv.Timing.AppointmentMinutes);
        Assert.Contains("infusion-pump", iv.RequiredEquipment.Value);
        Assert.False(iv.RemsRequired.Value);
        Assert.Null(iv.Devices);
        Assert.Equal(new SeriesRules(6, 2, 4, 3, 21), iv.Series("induction").Rules);
        Assert.Equal([7, 14, 28], iv.Maintenance.IntervalsDays.Value);
    }

    [Fact]
    public void Esketamine_follows_the_label_schedule_with_rems_two_hours_monitoring_and_fasting()
    {
        var esketamine = Esketamine;
        Assert.Equal(DoseBasis.Devices, esketamine.DoseBasis);
        Assert.True(esketamine.RemsRequired.Value);
        Assert.Equal(120, esketamine.Timing.MinimumMonitoringMinutes.Value);
        Assert.Equal(120, esketamine.Fasting.NoFoodMinutes.Value);
        Assert.Equal(30, esketamine.Fasting.NoDrinkMinutes.Value);
        var devices = esketamine.Devices!;
        Assert.Equal(new DoseMg(28m), devices.MgPerDevice.Value);
        Assert.Equal(2, devices.DeviceCount(new DoseMg(56m)));
        Assert.Equal(3, devices.DeviceCount(new DoseMg(84m)));
        Assert.Null(devices.DeviceCount(new DoseMg(28m)));
        Assert.Equal(["induction", "optimisation", "maintenance"], esketamine.Phases.Select(p => p.Id));
        Assert.Equal(new SeriesRules(8, 2, 5, 2, 28), esketamine.Series("induction").Rules);
        Assert.Equal(new SeriesRules(4, 7, 9, 1, 28), esketamine.Series("optimisation").Rules);
        Assert.Equal([7, 14], esketamine.Maintenance.IntervalsDays.Value);
    }

    [Fact]
    public void Oral_and_sublingual_are_fixed_milligram_doses()
    {
        Assert.Equal(DoseBasis.FixedMg, ProtocolLibrary.Default.Get("oral-racemic-ketamine").DoseBasis);
        Assert.Equal(DoseAmount.Fixed(new DoseMg(10m)), Sublingual.Dose.Default.Value);
        Assert.Equal(DoseBasis.MgPerKg, ProtocolLibrary.Default.Get("im-racemic-ketamine").DoseBasis);
    }

    [Fact]
    public void Every_number_of_every_built_in_protocol_names_its_source()
    {
        foreach (var protocol in ProtocolLibrary.Default.Protocols)
        {
            var sources = SourcesOf(protocol).ToList();
            Assert.True(sources.Count >= 20, $"{protocol.Id}: only {sources.Count} settings found");
            Assert.All(sources, s => Assert.False(string.IsNullOrWhiteSpace(s.Source), $"{protocol.Id}.{s.Name} has no source"));
            Assert.All(sources, s => Assert.True(
                s.Source.Contains("REFERENCE.md", StringComparison.Ordinal) || s.Source.Contains("clinic policy", StringComparison.Ordinal),
                $"{protocol.Id}.{s.Name}: '{s.Source}' cites neither REFERENCE.md nor clinic policy"));
        }
    }

    [Fact]
    public void Every_series_phase_fits_its_own_window()
    {
        foreach (var phase in ProtocolLibrary.Default.Protocols.SelectMany(p => p.SeriesPhases))
        {
            Assert.Empty(phase.Rules.Problems());
            Assert.True(phase.Rules.MinimumSpanDays() <= phase.WindowDays.Value);
        }
    }

    [Fact]
    public void The_iv_induction_needs_twelve_days_at_three_a_week_every_other_day()
    {
        Assert.Equal(12, Iv.Series("induction").Rules.MinimumSpanDays());
    }

    [Fact]
    public void Daily_spacing_with_at_most_three_a_week_cannot_make_four_sessions()
    {
        var rules = new SeriesRules(4, 1, 1, 3, 30);
        Assert.Null(rules.MinimumSpanDays());
        Assert.Contains(rules.Problems(), p => p.Contains("cannot both hold", StringComparison.Ordinal));
    }

    [Fact]
    public void Asking_for_an_unknown_phase_names_the_known_ones()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Iv.Phase("titration"));
        Assert.Contains("induction, maintenance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_field_is_reported_with_the_file_and_its_path()
    {
        var result = LoadEdited(IvFile, root => root["dose"]!.AsObject().Remove("hardMaximum"));
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("clinic/" + IvFile, error.File);
        Assert.Equal("$.dose.hardMaximum", error.Path);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("clinic/iv-racemic-ketamine.json: $.dose.hardMaximum:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_field_is_reported_instead_of_ignored()
    {
        var result = LoadEdited(IvFile, root => root["dose"]!.AsObject()["hardMaximun"] = JsonNode.Parse("""{ "value": 0.6, "source": "x" }"""));
        Assert.Contains(result.Errors, e => e.Path == "$.dose.hardMaximun" && e.Message.Contains("not a known field", StringComparison.Ordinal));
    }

    [Fact]
    public void A_setting_without_a_source_is_refused()
    {
        var result = LoadEdited(IvFile, root => root["timing"]!["chairMinutes"]!.AsObject().Remove("source"));
        Assert.Contains(result.Errors, e => e.Path == "$.timing.chairMinutes.source");
    }

    [Fact]
    public void A_default_above_the_hard_maximum_is_refused()
    {
        var result = LoadEdited(IvFile, root => SetValue(root, "dose.hardMaximum.value", 0.4));
        Assert.Contains(result.Errors, e => e.Path == "$.dose.default.value" && e.Message.Contains("hard maximum", StringComparison.Ordinal));
    }

    [Fact]
    public void A_typing_error_of_fifty_milligrams_per_kilogram_is_refused()
    {
        var result = LoadEdited(IvFile, root => SetValue(root, "dose.maximum.value", 50));
        Assert.Contains(result.Errors, e => e.Path == "$.dose.maximum.value" && e.Message.Contains("between", StringComparison.Ordinal));
    }

    [Fact]
    public void Recovery_shorter_than_the_minimum_monitoring_is_refused()
    {
        var result = LoadEdited(EsketamineFile, root => SetValue(root, "timing.recoveryMinutes.value", 60));
        Assert.Contains(result.Errors, e => e.Path == "$.timing.recoveryMinutes.value" && e.Message.Contains("monitoring", StringComparison.Ordinal));
    }

    [Fact]
    public void A_series_that_cannot_fit_its_window_is_refused()
    {
        var result = LoadEdited(IvFile, root => SetValue(root, "phases", JsonNode.Parse("""
            [ { "id": "induction", "name": "Induction", "kind": "series",
                "sessions": { "value": 6, "source": "s" }, "spacingMinDays": { "value": 2, "source": "s" },
                "spacingMaxDays": { "value": 3, "source": "s" }, "maxSessionsPer7Days": { "value": 3, "source": "s" },
                "windowDays": { "value": 10, "source": "s" } },
              { "id": "maintenance", "name": "Maintenance", "kind": "maintenance", "intervalsDays": { "value": [7], "source": "s" } } ]
            """)));
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.phases[0]", error.Path);
        Assert.Contains("need at least 12 days; the window is 10 days", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Maintenance_intervals_must_widen()
    {
        var result = LoadEdited(IvFile, root => SetValue(root, "phases", JsonNode.Parse("""
            [ { "id": "induction", "name": "Induction", "kind": "series",
                "sessions": { "value": 2, "source": "s" }, "spacingMinDays": { "value": 2, "source": "s" },
                "spacingMaxDays": { "value": 3, "source": "s" }, "maxSessionsPer7Days": { "value": 3, "source": "s" },
                "windowDays": { "value": 10, "source": "s" } },
              { "id": "maintenance", "name": "Maintenance", "kind": "maintenance", "intervalsDays": { "value": [14, 7], "source": "s" } } ]
            """)));
        Assert.Contains(result.Errors, e => e.Path == "$.phases[1].intervalsDays.value");
    }

    [Fact]
    public void A_device_dose_that_is_not_whole_devices_is_refused()
    {
        var result = LoadEdited(EsketamineFile, root => root["devices"]!["allowedDosesMg"]!["value"] = new JsonArray(56, 70, 84));
        Assert.Contains(result.Errors, e => e.Path == "$.devices.allowedDosesMg.value[1]" && e.Message.Contains("28 mg devices", StringComparison.Ordinal));
    }

    [Fact]
    public void A_device_protocol_without_its_devices_is_refused()
    {
        var result = LoadEdited(EsketamineFile, root => root.Remove("devices"));
        Assert.Contains(result.Errors, e => e.Path == "$.devices");
    }

    [Fact]
    public void Devices_on_a_weight_based_protocol_are_refused()
    {
        var result = LoadEdited(IvFile, root => root["devices"] = JsonNode.Parse(BuiltInJson(EsketamineFile))!["devices"]!.DeepClone());
        Assert.Contains(result.Errors, e => e.Path == "$.devices" && e.Message.Contains("only allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_route_names_the_choices()
    {
        var result = LoadEdited(IvFile, root => root["route"] = "rectal");
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.route", error.Path);
        Assert.Contains("intravenous, intramuscular, oral, sublingual, intranasal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_is_reported_with_its_line()
    {
        var result = ProtocolLoader.Load("{\n  \"id\": \"x\",\n  oops\n}", "clinic/broken.json");
        var error = Assert.Single(result.Errors);
        Assert.Equal("clinic/broken.json", error.File);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_at_once()
    {
        var result = LoadEdited(IvFile, root =>
        {
            root.Remove("name");
            SetValue(root, "timing.vitalsIntervalMinutes.value", 0);
            root["version"] = "one";
        });
        Assert.Equal(["$.name", "$.timing.vitalsIntervalMinutes.value", "$.version"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_library_with_two_files_for_one_protocol_is_refused()
    {
        var json = BuiltInJson(IvFile);
        var (library, errors) = ProtocolLibrary.Load([new ProtocolFile("a.json", json), new ProtocolFile("b.json", json)]);
        Assert.Null(library);
        var error = Assert.Single(errors);
        Assert.Equal("b.json", error.File);
        Assert.Contains("already used by a.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clinic_can_lower_the_hard_maximum_in_its_own_copy()
    {
        var protocol = Edited(IvFile, root =>
        {
            SetValue(root, "dose.hardMaximum.value", 0.6);
            SetValue(root, "dose.hardMaximum.source", "clinic policy: medical director 2025-01");
        });
        Assert.Equal(0.6m, protocol.Dose.HardMaximum.Value.Value);
        Assert.Equal("clinic policy: medical director 2025-01", protocol.Dose.HardMaximum.Source);
        Assert.Equal("file:clinic/" + IvFile, protocol.Source);
    }

    private static IEnumerable<(string Name, string Source)> SourcesOf(TreatmentProtocol p)
    {
        foreach (var (name, value) in new (string, object?)[]
        {
            ("dose", p.Dose), ("devices", p.Devices), ("timing", p.Timing), ("fasting", p.Fasting),
        })
        {
            if (value is null)
            {
                continue;
            }

            foreach (var property in value.GetType().GetProperties())
            {
                if (property.GetValue(value) is { } setting && setting.GetType().IsGenericType
                    && setting.GetType().GetGenericTypeDefinition() == typeof(SourcedSetting<>))
                {
                    yield return ($"{name}.{property.Name}", (string)setting.GetType().GetProperty("Source")!.GetValue(setting)!);
                }
            }
        }

        yield return ("rems", p.RemsRequired.Source);
        yield return ("requiredEquipment", p.RequiredEquipment.Source);
        yield return ("nonResponseReviewAfterSessions", p.NonResponseReviewAfterSessions.Source);
        foreach (var phase in p.SeriesPhases)
        {
            yield return (phase.Id + ".sessions", phase.Sessions.Source);
            yield return (phase.Id + ".spacingMinDays", phase.SpacingMinDays.Source);
            yield return (phase.Id + ".spacingMaxDays", phase.SpacingMaxDays.Source);
            yield return (phase.Id + ".maxSessionsPer7Days", phase.MaxSessionsPer7Days.Source);
            yield return (phase.Id + ".windowDays", phase.WindowDays.Source);
        }

        yield return ("maintenance.intervalsDays", p.Maintenance.IntervalsDays.Source);
    }
}
