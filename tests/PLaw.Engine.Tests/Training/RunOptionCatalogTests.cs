using PLaw.Engine.Optim;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;

namespace PLaw.Engine.Tests.Training;

/// <summary>The run options' declarations drive parsing, formatting and the range checks, for every option alike.</summary>
public sealed class RunOptionCatalogTests
{
    private static readonly RunOptions Defaults = new();

    [Fact]
    public void EveryDefaultRoundTripsThroughItsFlagText()
    {
        foreach (var o in RunOptionCatalog.All)
        {
            var back = o.With(Defaults, o.Parse(o.Format(o.Get(Defaults))));
            Assert.True(o.Get(back) is var v && Equals(v, o.Get(Defaults)) || o.Get(Defaults) is null && v is null, $"{o.Flag} does not round-trip.");
        }
        Assert.Equal(Defaults, RunOptionCatalog.All.Aggregate(Defaults, (acc, o) => o.With(acc, o.Get(Defaults))));
    }

    [Fact]
    public void WithSetsOneOptionAndLeavesTheOthers()
    {
        var layers = RunOptionCatalog.Get("layers");
        var o = layers.With(Defaults, 7);
        Assert.Equal(7, o.Layers);
        Assert.Equal(Defaults with { Layers = 7 }, o);
        Assert.Equal(2, Defaults.Layers); // the record is not changed in place
    }

    /// <summary>Just outside each bounded option's range: one problem, about that option, led by its subject.</summary>
    [Fact]
    public void EveryBoundedOptionRefusesValuesJustOutsideItsRange()
    {
        var bounded = RunOptionCatalog.All.Where(o => o.Kind is OptionKind.Whole or OptionKind.Real && !double.IsNaN(o.Max)).ToList();
        Assert.True(bounded.Count >= 20, $"only {bounded.Count} bounded options");
        foreach (var o in bounded)
        {
            object Above() => o.Kind == OptionKind.Whole ? (object)((int)o.Max + 1) : o.Max * 1.5 + 1;
            object Below() => o.Kind == OptionKind.Whole ? (object)((int)o.Min - 1) : o.Min - 1;
            foreach (var bad in new[] { Above(), Below() })
            {
                var run = o.With(Defaults with { Heads = 1 }, bad);
                var problem = Assert.Single(run.Problems(100), p => p.Key == o.Key);
                Assert.StartsWith(o.Subject + " must be", problem.Message, StringComparison.Ordinal);
            }
            var atMax = o.With(Defaults with { Heads = 1, Dim = 2 * RunLimits.MaxHeads, Optimizer = OptimizerKind.AdamW }, o.Kind == OptionKind.Whole ? (object)(int)o.Max : o.MaxOpenSafeMax());
            Assert.DoesNotContain(atMax.Problems(100), p => p.Key == o.Key);
        }
    }

    [Fact]
    public void ChoicesParseByTheirFlagNamesAndRefuseOthersSayingWhatIsAccepted()
    {
        var loss = RunOptionCatalog.Get("loss");
        Assert.Equal(LossKind.SampledSoftmax, loss.Parse("sampled"));
        Assert.Equal(LossKind.SampledSoftmax, loss.Parse("SampledSoftmax"));
        Assert.Equal("sampled", loss.Format(LossKind.SampledSoftmax));
        var e = Assert.Throws<FormatException>(() => loss.Parse("hinge"));
        Assert.Equal("'hinge' is not one of bce, sampled, full.", e.Message);
        Assert.Equal(Variants.PLaw, RunOptionCatalog.Get("variant").Parse("plaw"));
        Assert.Equal([Variants.Reference, Variants.PLaw], RunOptionCatalog.Get("variant").ChoicesFor(Defaults with { Model = ModelFamily.Hstu }));
        Assert.Null(RunOptionCatalog.Get("clip-norm").Parse("off"));
        Assert.Equal(new[] { 0.5, 0.25 }, (double[])RunOptionCatalog.Get("layer-dropout").Parse("0.5, 0.25")!);
        Assert.Throws<FormatException>(() => RunOptionCatalog.Get("layers").Parse("2.5"));
    }

    [Fact]
    public void OptionsThatTakePartOnlySometimesSaySo()
    {
        var negatives = RunOptionCatalog.Get("negatives");
        Assert.False(negatives.AppliesTo(Defaults));
        Assert.True(negatives.AppliesTo(Defaults with { Loss = LossKind.SampledSoftmax }));
        Assert.Equal("with --loss sampled", negatives.Condition);
        Assert.True(RunOptionCatalog.Get("momentum").AppliesTo(Defaults with { SwitchToSgdEpoch = 3 }));
        Assert.False(RunOptionCatalog.Get("momentum").AppliesTo(Defaults));
        Assert.Equal("with --cosine", RunOptionCatalog.Get("min-lr").Condition);
    }

    [Fact]
    public void RulesThatJoinOptionsNameTheOptionTheyAreAbout()
    {
        Assert.Equal("heads", Assert.Single(new RunOptions { Dim = 50, Heads = 4 }.Problems()).Key);
        Assert.Equal("variant", Assert.Single(new RunOptions { Variant = Variants.PLaw }.Problems()).Key);
        Assert.Equal("layer-dropout", Assert.Single(new RunOptions { LayerDropout = [0.1] }.Problems()).Key);
        Assert.Equal("optimizer", Assert.Single(new RunOptions { Optimizer = OptimizerKind.Sgd, SwitchToSgdEpoch = 2 }.Problems()).Key);
        Assert.Equal("device", Assert.Single(new RunOptions { Device = "cuda:1" }.Problems()).Key);
        Assert.Null(Assert.Single(new RunOptions().Problems(1)).Key);
    }
}

internal static class SpecTestExtensions
{
    /// <summary>The largest accepted value of a real option: its maximum, or just below it when the maximum is open.</summary>
    public static double MaxOpenSafeMax(this RunOptionSpec o) =>
        o.Kind == OptionKind.Real && o.With(new RunOptions(), o.Max).Problems(100).Any(p => p.Key == o.Key) ? Math.BitDecrement(o.Max) : o.Max;
}
