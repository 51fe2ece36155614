using System.Text.Json.Nodes;
using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class InstrumentCatalogTests
{
    private static string BuiltInJson(string fileName)
    {
        var assembly = typeof(InstrumentCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream("KetaClinic.Domain.Instruments.Definitions." + fileName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string LicensedMadrs(string version)
    {
        var root = JsonNode.Parse(BuiltInJson("madrs.json"))!.AsObject();
        root["version"] = version;
        root["licence"]!["wordingIncluded"] = true;
        root["licence"]!["note"] = "Wording used under the clinic's licence.";
        root["item"]![0]!["text"] = "Clinic-licensed wording for item 1";
        return root.ToJsonString();
    }

    [Fact]
    public void The_built_in_catalog_holds_the_six_instruments_of_issue_3()
    {
        Assert.Equal(
            ["cadss6", "cssrs-screener", "gad7", "madrs", "phq9", "qids-sr16"],
            InstrumentCatalog.BuiltIn.InstrumentIds);
        Assert.All(InstrumentCatalog.BuiltIn.Definitions, d => Assert.StartsWith("built-in:", d.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Licensed_built_in_definitions_carry_no_wording()
    {
        foreach (var id in new[] { "madrs", "cssrs-screener", "cadss6" })
        {
            var definition = InstrumentCatalog.BuiltIn.Get(id);
            Assert.False(definition.Licence.WordingIncluded, id);
            Assert.Null(definition.Instructions);
            Assert.All(definition.Items, i => Assert.Null(i.Text));
        }
    }

    [Fact]
    public void Every_built_in_definition_states_its_licence()
    {
        Assert.All(InstrumentCatalog.BuiltIn.Definitions, d => Assert.False(string.IsNullOrWhiteSpace(d.Licence.Note)));
    }

    [Fact]
    public void A_clinic_definition_with_a_new_version_becomes_the_default_and_the_old_version_stays_available()
    {
        var result = InstrumentCatalog.BuiltIn.WithClinicDefinitions([new DefinitionSource("clinic/madrs.json", LicensedMadrs("1.1.0"))]);

        Assert.False(result.HasErrors, string.Join("; ", result.Errors));
        Assert.Equal("1.1.0", result.Catalog.Get("madrs").Version);
        Assert.Equal("Clinic-licensed wording for item 1", result.Catalog.Get("madrs").Items[0].Text);
        Assert.Null(result.Catalog.Get("madrs", "1.0.0").Items[0].Text);
        Assert.Equal("1.0.0", InstrumentCatalog.BuiltIn.Get("madrs").Version);
    }

    [Fact]
    public void Versions_are_ordered_numerically_not_alphabetically()
    {
        var result = InstrumentCatalog.BuiltIn.WithClinicDefinitions(
        [
            new DefinitionSource("clinic/madrs-10.json", LicensedMadrs("1.10.0")),
            new DefinitionSource("clinic/madrs-9.json", LicensedMadrs("1.9.0")),
        ]);

        Assert.Equal("1.10.0", result.Catalog.Get("madrs").Version);
    }

    [Fact]
    public void A_clinic_file_reusing_a_loaded_version_is_rejected_and_the_other_files_still_load()
    {
        var result = InstrumentCatalog.BuiltIn.WithClinicDefinitions(
        [
            new DefinitionSource("clinic/madrs-same-version.json", LicensedMadrs("1.0.0")),
            new DefinitionSource("clinic/madrs.json", LicensedMadrs("2.0.0")),
        ]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("clinic/madrs-same-version.json", DefinitionRules.DuplicateVersion), (error.Source, error.Rule));
        Assert.Equal("2.0.0", result.Catalog.Get("madrs").Version);
        Assert.Null(result.Catalog.Get("madrs", "1.0.0").Items[0].Text);
    }

    [Fact]
    public void An_invalid_clinic_file_is_left_out_with_errors_naming_it()
    {
        var result = InstrumentCatalog.BuiltIn.WithClinicDefinitions([new DefinitionSource("clinic/broken.json", "{ }")]);

        Assert.True(result.HasErrors);
        Assert.All(result.Errors, e => Assert.Equal("clinic/broken.json", e.Source));
        Assert.Equal(InstrumentCatalog.BuiltIn.Definitions.Count, result.Catalog.Definitions.Count);
    }

    [Fact]
    public void Asking_for_an_unknown_instrument_names_the_known_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => InstrumentCatalog.BuiltIn.Get("hamd17"));

        Assert.Contains("phq9", error.Message, StringComparison.Ordinal);
        Assert.Null(InstrumentCatalog.BuiltIn.Find("hamd17"));
    }

    [Fact]
    public void Asking_for_an_unknown_version_names_the_known_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => InstrumentCatalog.BuiltIn.Get("phq9", "9.9.9"));

        Assert.Contains("1.0.0", error.Message, StringComparison.Ordinal);
    }
}
