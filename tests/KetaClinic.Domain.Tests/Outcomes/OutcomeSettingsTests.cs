using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Domain.Tests.Outcomes;

public class OutcomeSettingsTests
{
    private static readonly OutcomeSettings Defaults = OutcomeSettings.Default;

    [Fact]
    public void Defaults_follow_the_clinical_reference()
    {
        Assert.Equal(50m, Defaults.ResponseReductionPercent.Value);
        Assert.Equal((5, 15), (Defaults.RelapseWindowMinDays.Value, Defaults.RelapseWindowMaxDays.Value));
        Assert.Equal((4, 10), (Defaults.ThresholdsFor("phq9").RemissionAtOrBelow.Value, Defaults.ThresholdsFor("phq9").RelapseAtOrAbove.Value));
        Assert.Equal((5, 11), (Defaults.ThresholdsFor("qids-sr16").RemissionAtOrBelow.Value, Defaults.ThresholdsFor("qids-sr16").RelapseAtOrAbove.Value));
        Assert.Equal(7, Defaults.ThresholdsFor("hamd17").RemissionAtOrBelow.Value);
        Assert.Equal((10, 22), (Defaults.ThresholdsFor("madrs").RemissionAtOrBelow.Value, Defaults.ThresholdsFor("madrs").RelapseAtOrAbove.Value));
    }

    [Fact]
    public void Every_default_names_its_source()
    {
        Assert.Contains("ESCAPE-TRD", Defaults.ThresholdsFor("madrs").RemissionAtOrBelow.Source, StringComparison.Ordinal);
        Assert.Contains("SUSTAIN-1 (Daly 2019)", Defaults.ThresholdsFor("madrs").RelapseAtOrAbove.Source, StringComparison.Ordinal);
        Assert.Contains("SUSTAIN-1 (Daly 2019)", Defaults.RelapseWindowMinDays.Source, StringComparison.Ordinal);
        Assert.All(Defaults.Instruments.Values, t =>
        {
            Assert.Contains("REFERENCE.md", t.RemissionAtOrBelow.Source + t.RelapseAtOrAbove.Source, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_setting_without_a_source_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ClinicalSetting<int>(10, " "));
    }

    [Fact]
    public void A_relapse_cut_off_at_or_below_the_remission_threshold_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstrumentOutcomeThresholds(
            "phq9", new ClinicalSetting<int>(10, "test"), new ClinicalSetting<int>(10, "test")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(101)]
    public void A_response_reduction_outside_0_to_100_percent_is_refused(int percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Defaults.WithResponseReduction(new ClinicalSetting<decimal>(percent, "test")));
    }

    [Fact]
    public void A_relapse_window_ending_before_it_starts_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Defaults.WithRelapseWindow(new ClinicalSetting<int>(10, "test"), new ClinicalSetting<int>(5, "test")));
    }

    [Fact]
    public void Thresholds_for_an_instrument_can_be_added_without_touching_the_others()
    {
        var settings = Defaults.WithInstrument(new InstrumentOutcomeThresholds(
            "gad7", new ClinicalSetting<int>(4, "clinic"), new ClinicalSetting<int>(10, "clinic")));

        Assert.Equal(4, settings.ThresholdsFor("gad7").RemissionAtOrBelow.Value);
        Assert.Same(Defaults.ThresholdsFor("madrs"), settings.ThresholdsFor("madrs"));
        Assert.Throws<KeyNotFoundException>(() => Defaults.ThresholdsFor("gad7"));
    }
}
