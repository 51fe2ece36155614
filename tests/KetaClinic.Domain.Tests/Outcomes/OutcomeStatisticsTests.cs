using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Outcomes;

namespace KetaClinic.Domain.Tests.Outcomes;

public sealed class OutcomeStatisticsTests
{
    [Fact]
    public void Wilson_interval_matches_the_published_worked_example()
    {
        // 81 of 263 (Newcombe 1998, example): 0.3080, 95 % CI 0.2553–0.3662.
        var p = OutcomeStatistics.Wilson(81, 263);
        Assert.Equal(0.3080m, p.Rate);
        Assert.Equal(0.2553m, p.Lower);
        Assert.Equal(0.3662m, p.Upper);
    }

    [Fact]
    public void Wilson_interval_of_zero_successes_starts_at_zero_but_is_not_empty()
    {
        var p = OutcomeStatistics.Wilson(0, 10);
        Assert.Equal(0m, p.Lower);
        Assert.Equal(0.2775m, p.Upper);
    }

    [Fact]
    public void An_empty_group_has_no_rate_rather_than_zero()
    {
        var p = OutcomeStatistics.Wilson(0, 0);
        Assert.Null(p.Rate);
        Assert.Null(p.Lower);
    }

    [Fact]
    public void More_successes_than_courses_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OutcomeStatistics.Wilson(5, 4));

    [Property]
    public Property Wilson_interval_lies_in_0_1_and_contains_the_rate() =>
        Prop.ForAll(Gen.Choose(1, 5000).SelectMany(n => Gen.Choose(0, n).Select(k => (k, n))).ToArbitrary(), t =>
        {
            var p = OutcomeStatistics.Wilson(t.k, t.n);
            return p.Lower >= 0m && p.Upper <= 1m && p.Lower <= p.Rate && p.Rate <= p.Upper;
        });

    [Property]
    public Property Weighted_median_equals_the_median_of_the_expanded_list() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 40).SelectMany(v => Gen.Choose(0, 5).Select(c => (v, c)))).ToArbitrary(), groups =>
            OutcomeStatistics.WeightedMedian(groups) == OutcomeStatistics.Median(groups.SelectMany(g => Enumerable.Repeat(g.v, g.c))));

    [Property]
    public Property Summaries_from_counted_groups_equal_summaries_from_single_courses() =>
        Prop.ForAll(Gen.ListOf(FactsGen.SelectMany(f => Gen.Choose(1, 4).Select(c => (f, c)))).ToArbitrary(), groups =>
            OutcomeStatistics.Summarise(groups.ToList()) == OutcomeStatistics.Summarise(groups.SelectMany(g => Enumerable.Repeat(g.f, g.c)).ToList()));

    private static Gen<CourseOutcomeFacts> FactsGen =>
        from status in Gen.Elements("response", "remission", "relapse", "non-response", "needs-baseline", "awaiting-follow-up")
        from sessions in Gen.Choose(1, 12)
        from days in Gen.Choose(5, 200)
        select new CourseOutcomeFacts(status, status is "response" or "remission" or "relapse", status == "remission", status == "relapse",
            status is "response" or "remission" or "relapse" ? sessions : null, status == "relapse" ? days : null);

    [Fact]
    public void Median_of_even_count_is_the_mean_of_the_middle_two() =>
        Assert.Equal(3.5m, OutcomeStatistics.Median([5, 1, 3, 4]));

    [Fact]
    public void Summary_counts_relapse_among_responders_and_leaves_unclassified_courses_out_of_the_rates()
    {
        CourseOutcomeFacts[] courses =
        [
            new("remission", true, true, false, 3, null),
            new("relapse", true, false, true, 4, 40),
            new("response", true, false, false, 6, null),
            new("non-response", false, false, false, null, null),
            new("needs-baseline", false, false, false, null, null),
            new("awaiting-follow-up", false, false, false, null, null),
        ];
        var s = OutcomeStatistics.Summarise(courses);
        Assert.Equal(6, s.Courses);
        Assert.Equal(4, s.Classified);
        Assert.Equal(3, s.Response.Successes);
        Assert.Equal(4, s.Response.Total);
        Assert.Equal(1, s.Remission.Successes);
        Assert.Equal(4m, s.MedianSessionsToResponse);
        Assert.Equal(1, s.Relapse.Successes);
        Assert.Equal(3, s.Relapse.Total);
        Assert.Equal(40m, s.MedianDaysToRelapse);
    }
}
