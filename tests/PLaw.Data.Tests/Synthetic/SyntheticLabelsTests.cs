using PLaw.Data.Synthetic;

namespace PLaw.Data.Tests.Synthetic;

/// <summary>The synthetic generator labels impressions too: deterministic, both classes, following item appeal.</summary>
public sealed class SyntheticLabelsTests
{
    [Fact]
    public void LabelsAreDeterministicForASeedAndLeaveTheSequencesAlone()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 200, Items: 50, MinLength: 10, MaxLength: 30, Seed: 3)).Sequences;
        var a = SyntheticLabels.Attach(data, new SyntheticLabelOptions(Seed: 1));
        var b = SyntheticLabels.Attach(data, new SyntheticLabelOptions(Seed: 1));
        var c = SyntheticLabels.Attach(data, new SyntheticLabelOptions(Seed: 2));
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Labels, c.Labels);
        Assert.Same(data.Items, a.Items);
        Assert.Equal(data.Items.Length, a.Labels!.Length);
        Assert.InRange(a.Labels.Count(l => l) / (double)a.Labels.Length, 0.3, 0.8);
    }

    [Fact]
    public void WithoutSpreadEveryImpressionHasTheBaseRate()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 300, Items: 50, MinLength: 20, MaxLength: 40, Seed: 3)).Sequences;
        var always = SyntheticLabels.Attach(data, new SyntheticLabelOptions(BaseLogit: 40, ItemSpread: 0, UserSpread: 0));
        Assert.All(always.Labels!, Assert.True);
        var half = SyntheticLabels.Attach(data, new SyntheticLabelOptions(BaseLogit: 0, ItemSpread: 0, UserSpread: 0));
        Assert.InRange(half.Labels!.Count(l => l) / (double)half.Labels!.Length, 0.47, 0.53);
    }
}
