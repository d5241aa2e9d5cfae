using PLaw.Engine.Training;
using PLaw.Web.Components;
using PLaw.Web.Laws;

namespace PLaw.Web.Tests;

/// <summary>An HSTU ablation study fits one law per ablation: the laws pages key runs by family and ablation, read from
/// the run's display name, and label them so a lead tells them apart.</summary>
public sealed class LawFamiliesTests
{
    [Theory]
    [InlineData(null, null, "hstu", "HSTU")]
    [InlineData(null, "rab", "hstu-no-rab", "HSTU no-rab")]
    [InlineData(null, "gate,silu", "hstu-no-silu-no-gate", "HSTU no-silu-no-gate")]
    [InlineData(Variants.PLaw, "gate", "hstu-no-gate", "HSTU no-gate")]
    [InlineData(Variants.PLaw, null, "hstu", "HSTU")]
    public void EachAblationIsAFamilyOfItsOwn(string? variant, string? ablate, string family, string label)
    {
        var o = new RunOptions { Model = ModelFamily.Hstu, Variant = variant, Ablate = ablate, Layers = 3, Dim = 64 };
        Assert.Equal(family, LawFamilies.Of("hstu", o.DisplayName, o.Layers, o.Dim));
        Assert.Equal(label, Labels.Family(family));
        Assert.Equal("hstu", LawFamilies.Model(family));
        // The parameter formula of the registry family serves its ablations (an approximation, as for the reference variant).
        Assert.Equal(LawInputs.ParameterCount("hstu")(3, 64), LawInputs.ParameterCount(family)(3, 64));
    }

    [Fact]
    public void OtherFamiliesAndUnreadableNamesKeepTheRegistryFamily()
    {
        var sasrec = new RunOptions { Variant = Variants.PreLn };
        Assert.Equal("sasrec", LawFamilies.Of("sasrec", sasrec.DisplayName, sasrec.Layers, sasrec.Dim));
        Assert.Equal("hstu", LawFamilies.Of("hstu", "my renamed run", 2, 50));
        Assert.Equal("SASRec", Labels.Family("sasrec"));
    }
}
