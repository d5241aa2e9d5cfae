using PLaw.Laws.Optima;

namespace PLaw.Laws.Tests.Optima;

public sealed class ParameterCountTests
{
    [Fact]
    public void LlamaBlockAt512MatchesTheSpec() => Assert.Equal(3_163_136 + 512, ParameterCounts.Llama(1, 512));

    [Fact]
    public void SwigluHiddenRoundsEightThirdsUpToAMultipleOf32()
    {
        Assert.Equal(1376, ParameterCounts.SwigluHidden(512));
        Assert.Equal(160, ParameterCounts.SwigluHidden(50)); // ⌊400/3⌋ = 133 → 160
    }

    [Fact]
    public void PmSasrecIsSixDSquaredPlusTenDPerBlockPlusFinalLayerNorm() =>
        Assert.Equal(2 * (6 * 50 * 50 + 10 * 50) + 2 * 50, ParameterCounts.PmSasrec(2, 50));

    [Fact]
    public void PlHstuIsFiveDSquaredPlusTwoDPerBlockPlusFinalNorm() =>
        Assert.Equal(8 * (5 * 512 * 512 + 2 * 512) + 512, ParameterCounts.PlHstu(8, 512));

    [Fact]
    public void TrainingFlopsAreSixNPlusTheAttentionTerm() =>
        Assert.Equal(6.0 * 31_100 + 6.0 * 2 * 50 * 50, TrainingFlops.ForFamily(ParameterCounts.PmSasrec, contextLength: 50)(2, 50));

    [Fact]
    public void UnknownFamilyListsTheKnownOnes() =>
        Assert.Contains("llama", Assert.Throws<ArgumentException>(() => ParameterCounts.ForFamily("gpt")).Message);
}
