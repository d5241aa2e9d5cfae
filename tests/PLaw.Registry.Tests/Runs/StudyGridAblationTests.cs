using PLaw.Engine.Models;
using PLaw.Engine.Training;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Tests.Runs;

/// <summary>The study grid's HSTU ablation dimension: it crosses the HSTU runs only, each run named apart and counted
/// without the parameters its ablation removes; grids stored before it existed still read.</summary>
public sealed class StudyGridAblationTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    [Fact]
    public void AblationsCrossTheHstuRunsOnly()
    {
        var grid = new StudyGrid
        {
            Base = Small, Models = [ModelFamily.Sasrec, ModelFamily.Hstu], Dims = [8, 16],
            Ablations = GridLists.Ablations("none, rab, silu+gate, gate+silu", "--ablations"),
        };
        Assert.Equal(["none", "rab", "silu,gate"], grid.Ablations);
        var runs = grid.Expand();
        Assert.Equal(2 + 3 * 2, runs.Count);
        Assert.Equal(runs.Count, grid.Size);
        Assert.All(runs.Where(r => r.Model == ModelFamily.Sasrec), r => Assert.Null(r.Ablate));
        Assert.Equal([null, null, "rab", "rab", "silu,gate", "silu,gate"], runs.Where(r => r.Model == ModelFamily.Hstu).Select(r => r.Ablate));
        Assert.Equal(runs.Count, runs.Select(r => r.DisplayName).Distinct().Count());
        Assert.Contains(runs, r => r.DisplayName == "hstu-no-silu-no-gate-l1-d16-h1-len10-bce-fp32-s42");
        Assert.All(runs, r => Assert.Empty(r.Problems(40)));
    }

    [Fact]
    public void WithoutTheListTheBaseAblationAppliesToHstuAlone()
    {
        var grid = new StudyGrid { Base = Small with { Ablate = "gate" }, Models = [ModelFamily.Llama, ModelFamily.Hstu] };
        var runs = grid.Expand();
        Assert.Equal([null, "gate"], runs.Select(r => r.Ablate));
        Assert.Equal(2, grid.Size);
    }

    [Fact]
    public void ABadAblationSetNamesTheFlagAndTheEntry()
    {
        var error = Assert.Throws<ArgumentException>(() => GridLists.Ablations("rab,ffn", "--ablations")).Message;
        Assert.StartsWith("--ablations: 'ffn' is not an ablation set", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GridLists.Ablations("rab+", "--ablations"));
        Assert.Throws<ArgumentException>(() => GridLists.Ablations("none+rab", "--ablations"));
        Assert.Empty(GridLists.Ablations("", "--ablations"));
    }

    [Fact]
    public void GridsStoredBeforeTheDimensionStillRead()
    {
        var stored = RegistryJson.Serialize(new StudyGrid { Base = Small with { Model = ModelFamily.Hstu }, Dims = [8, 16] });
        var old = stored.Replace(",\"ablations\":[]", "", StringComparison.Ordinal);
        Assert.DoesNotContain("ablations", old, StringComparison.Ordinal);
        var grid = RegistryJson.Deserialize<StudyGrid>(old);
        Assert.Empty(grid.Ablations);
        Assert.All(grid.Expand(), r => Assert.Null(r.Ablate));
    }

    [Fact]
    public async Task AnAblationStudyQueuesRunsWithHonestParameterCounts()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var grid = new StudyGrid
        {
            Base = Small with { Model = ModelFamily.Hstu }, Layers = [1, 2],
            Ablations = [HstuAblations.None, HstuAblations.Rab, HstuAblations.Gate],
        };
        var (_, runs) = await catalog.CreateStudyAsync("ablations", dataset, grid);
        Assert.Equal(6, runs.Count);
        var items = (await registry.Get<PLaw.Registry.Datasets.DatasetCatalog>().FindAsync(dataset))!.Items;
        foreach (var run in runs)
        {
            var options = RunJson.Options(run);
            var expected = ParameterCount.Of(options, items);
            Assert.Equal((expected.Embedding, expected.NonEmbedding), (run.EmbeddingParameters, run.NonEmbeddingParameters));
            Assert.Equal(options.DisplayName, run.Name);
        }
        long Count(string? ablate, int layers) => runs.Single(r => RunJson.Options(r) is var o && o.Ablate == ablate && o.Layers == layers).NonEmbeddingParameters;
        // d = 8, L = 10: U is d² = 64 per block; w_pos 2L − 1 = 19 and w_ts 129 per block.
        Assert.Equal(2 * 64, Count(null, 2) - Count("gate", 2));
        Assert.Equal(2 * (19 + 129), Count(null, 2) - Count("rab", 2));
        await Assert.ThrowsAsync<RunOptionsException>(() =>
            catalog.CreateStudyAsync("plaw-rab", dataset, grid with { Base = grid.Base with { Variant = Variants.PLaw } }));
    }
}
