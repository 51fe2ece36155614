using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class ReferenceDataTests
{
    [Fact]
    public void Built_in_antidepressant_catalogue_loads_and_every_row_names_a_source()
    {
        var catalogue = AntidepressantCatalogue.Default;

        Assert.True(catalogue.Drugs.Count >= 30);
        Assert.All(catalogue.Drugs, drug =>
        {
            Assert.False(string.IsNullOrWhiteSpace(drug.Source));
            Assert.InRange(drug.MinimumAdequateDailyDoseMg, 0.1m, 1000m);
        });
    }

    [Fact]
    public void Built_in_catalogue_covers_the_classes_thase_rush_staging_needs()
    {
        var classes = AntidepressantCatalogue.Default.Drugs.Select(d => d.Class).ToHashSet();

        Assert.Contains(AntidepressantClass.Ssri, classes);
        Assert.Contains(AntidepressantClass.Snri, classes);
        Assert.Contains(AntidepressantClass.Tricyclic, classes);
        Assert.Contains(AntidepressantClass.Maoi, classes);
        Assert.Contains(AntidepressantClass.Ndri, classes);
        Assert.Contains(AntidepressantClass.Nassa, classes);
        Assert.Contains(AntidepressantClass.SerotoninModulator, classes);
    }

    [Theory]
    [InlineData("sertraline", 50)]
    [InlineData("fluoxetine", 20)]
    [InlineData("escitalopram", 10)]
    [InlineData("venlafaxine", 75)]
    [InlineData("mirtazapine", 30)]
    [InlineData("amitriptyline", 150)]
    public void Built_in_catalogue_holds_the_widely_published_minimum_doses(string drug, int minimumMg)
    {
        Assert.Equal(minimumMg, AntidepressantCatalogue.Default.Find(drug)!.MinimumAdequateDailyDoseMg);
    }

    [Theory]
    [InlineData("Sertraline")]
    [InlineData("  ZOLOFT ")]
    [InlineData("sertraline hydrochloride")]
    [InlineData("Lustral")]
    public void Catalogue_finds_a_drug_by_name_brand_or_salt_in_any_case(string written)
    {
        Assert.Equal("sertraline", AntidepressantCatalogue.Default.Find(written)?.Name);
    }

    [Theory]
    [InlineData("Venlafaxine XR", "venlafaxine")]
    [InlineData("bupropion xl", "bupropion")]
    [InlineData("Effexor XR", "venlafaxine")]
    public void Catalogue_ignores_the_release_form(string written, string expected)
    {
        Assert.Equal(expected, AntidepressantCatalogue.Default.Find(written)?.Name);
    }

    [Fact]
    public void Catalogue_does_not_guess_an_unknown_drug()
    {
        Assert.Null(AntidepressantCatalogue.Default.Find("esketamine"));
        Assert.Null(AntidepressantCatalogue.Default.Find(""));
        Assert.Null(AntidepressantCatalogue.Default.Find(null));
    }

    [Fact]
    public void Clinic_edited_catalogue_loads_with_comments_and_trailing_commas()
    {
        const string json = """
            {
              // our own table
              "drugs": [
                { "name": "sertraline", "class": "ssri", "minimumAdequateDailyDoseMg": 100, "source": "clinic policy 2025", },
              ],
            }
            """;

        var result = AntidepressantCatalogue.FromJson(json);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(100m, result.Value!.Find("sertraline")!.MinimumAdequateDailyDoseMg);
    }

    [Fact]
    public void Catalogue_errors_name_the_row_and_the_field()
    {
        const string json = """
            { "drugs": [
                { "name": "sertraline", "class": "ssri", "minimumAdequateDailyDoseMg": 50, "source": "Maudsley" },
                { "name": "fluoxetine", "class": "ssri", "minimumAdequateDailyDoseMg": -20, "source": "Maudsley" },
                { "name": "mystery", "class": "wonder-drug", "minimumAdequateDailyDoseMg": 10, "source": "x" },
                { "name": "citalopram", "class": "ssri", "minimumAdequateDailyDoseMg": "20 mg" },
                { "name": "zoloft", "class": "ssri", "minimumAdequateDailyDoseMg": 50, "source": "x", "dose": 3 }
            ] }
            """;

        var result = AntidepressantCatalogue.FromJson(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e is { Row: 2, RowName: "fluoxetine", Field: "minimumAdequateDailyDoseMg" });
        Assert.Contains(result.Errors, e => e is { Row: 3, RowName: "mystery", Field: "class" } && e.Message.Contains("wonder-drug", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e is { Row: 4, Field: "minimumAdequateDailyDoseMg" } && e.Message.Contains("number", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e is { Row: 4, Field: "source" });
        Assert.Contains(result.Errors, e => e is { Row: 5, Field: "dose" });
        Assert.Equal("row 2 (fluoxetine), field 'minimumAdequateDailyDoseMg': must be greater than 0 and at most 1000 (was -20).",
            result.Errors.First(e => e.Row == 2).ToString());
    }

    [Fact]
    public void Catalogue_rejects_a_name_or_alias_used_twice()
    {
        const string json = """
            { "drugs": [
                { "name": "sertraline", "aliases": ["Zoloft"], "class": "ssri", "minimumAdequateDailyDoseMg": 50, "source": "x" },
                { "name": "other", "aliases": ["zoloft"], "class": "ssri", "minimumAdequateDailyDoseMg": 50, "source": "x" }
            ] }
            """;

        var result = AntidepressantCatalogue.FromJson(json);

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, "other", "aliases"), (error.Row!.Value, error.RowName!, error.Field));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{ "drug": [] }""")]
    [InlineData("""{ "drugs": [] }""")]
    public void Catalogue_document_errors_are_reported_not_thrown(string json)
    {
        var result = AntidepressantCatalogue.FromJson(json);

        Assert.False(result.IsValid);
        Assert.Equal("drugs", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Catalogue_rows_edited_in_memory_are_validated_too()
    {
        var result = AntidepressantCatalogue.FromRows(
        [
            new Antidepressant("sertraline", [], AntidepressantClass.Ssri, 50m, "x"),
            new Antidepressant("", [], AntidepressantClass.Ssri, 0m, ""),
        ]);

        Assert.Equal(["name", "minimumAdequateDailyDoseMg", "source"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal(2, e.Row));
    }

    [Fact]
    public void Built_in_concomitant_table_loads_with_a_conversion_for_every_benzodiazepine()
    {
        var table = ConcomitantMedicationTable.Default;

        Assert.All(table.Medications, m => Assert.False(string.IsNullOrWhiteSpace(m.Source)));
        Assert.All(table.Medications.Where(m => m.Category == ConcomitantCategory.Benzodiazepine),
            m => Assert.NotNull(m.DoseEquivalentToDiazepam10Mg));
        Assert.Equal(10m, table.Find("diazepam")!.DoseEquivalentToDiazepam10Mg);
        Assert.Equal(ConcomitantCategory.BluntsKetamineEffect, table.Find("Lamictal")!.Category);
    }

    [Fact]
    public void Concomitant_table_requires_a_conversion_for_benzodiazepines_only()
    {
        const string json = """
            { "medications": [
                { "name": "lorazepam", "category": "benzodiazepine", "source": "x" },
                { "name": "tramadol", "category": "opioid", "doseEquivalentToDiazepam10Mg": 5, "source": "x" },
                { "name": "coffee", "category": "beverage", "source": "x" }
            ] }
            """;

        var result = ConcomitantMedicationTable.FromJson(json);

        Assert.Contains(result.Errors, e => e is { Row: 1, RowName: "lorazepam", Field: "doseEquivalentToDiazepam10Mg" });
        Assert.Contains(result.Errors, e => e is { Row: 2, RowName: "tramadol", Field: "doseEquivalentToDiazepam10Mg" });
        Assert.Contains(result.Errors, e => e is { Row: 3, RowName: "coffee", Field: "category" });
    }
}
