using PLaw.Engine.Training;
using PLaw.Laws.Optima;

namespace PLaw.Laws.Tests.Optima;

/// <summary>The optimum search's per-family formulas against the engine's exact non-embedding counts.</summary>
public sealed class ParameterCountsMatchTheEngineTests
{
    public static TheoryData<string, ModelFamily, string> Families => new()
    {
        { "pm-sasrec", ModelFamily.Sasrec, Variants.PostLn },
        { "pl-hstu", ModelFamily.Hstu, Variants.PLaw },
        { "llama", ModelFamily.Llama, Variants.Standard },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void FormulaEqualsTheEnginesCount(string family, ModelFamily model, string variant)
    {
        var formula = PLaw.Laws.Optima.ParameterCounts.ForFamily(family);
        foreach (var layers in new[] { 1, 2, 8, 24 })
        foreach (var dim in new[] { 8, 50, 64, 512 })
        {
            var engine = ParameterCount.Of(new RunOptions { Model = model, Variant = variant, Layers = layers, Dim = dim, Heads = 2 }, 1000);
            Assert.Equal(engine.NonEmbedding, formula(layers, dim));
        }
    }
}
