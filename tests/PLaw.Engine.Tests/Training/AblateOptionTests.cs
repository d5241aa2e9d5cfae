using System.Text.Json;
using System.Text.Json.Serialization;
using PLaw.Engine.Models;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;

namespace PLaw.Engine.Tests.Training;

/// <summary><c>--ablate</c>: parsed from its flag text to one canonical form, refused where it means nothing, named in the
/// run's display name, and absent from old runs' options.</summary>
public sealed class AblateOptionTests
{
    private static readonly RunOptions Hstu = new() { Model = ModelFamily.Hstu };

    [Fact]
    public void TheFlagTextBecomesOneCanonicalList()
    {
        var spec = RunOptionCatalog.Get("ablate");
        Assert.Equal(OptionKind.Text, spec.Kind);
        Assert.Equal(new[] { ModelFamily.Hstu }, spec.Families!);
        Assert.Equal("rab,gate", spec.With(Hstu, spec.Parse(" Gate, rab ,gate")).Ablate);
        Assert.Equal("rab,silu,gate", (Hstu with { Ablate = "silu,gate,rab" }).Ablate);
        Assert.Null(spec.Parse("none"));
        Assert.Null(spec.Parse(""));
        Assert.Null((Hstu with { Ablate = " , " }).Ablate);
        Assert.Equal(Hstu with { Ablate = "rab,gate" }, Hstu with { Ablate = "gate,rab" });
        Assert.Equal(HstuAblation.Rab | HstuAblation.Gate, HstuAblations.Of(Hstu with { Ablate = "gate,rab" }));
        Assert.Equal(HstuAblation.None, HstuAblations.Of(Hstu));
    }

    [Fact]
    public void TheDisplayNameTellsAblationsApart()
    {
        Assert.Equal("hstu-l2-d50-h1-len50-bce-fp32-s42", Hstu.DisplayName);
        Assert.Equal("hstu-no-rab-l2-d50-h1-len50-bce-fp32-s42", (Hstu with { Ablate = "rab" }).DisplayName);
        Assert.Equal("hstu-no-rab-no-silu-no-gate-l2-d50-h1-len50-bce-fp32-s42", (Hstu with { Ablate = "gate,silu,rab" }).DisplayName);
        Assert.Equal("hstu-plaw-no-gate-l2-d50-h1-len50-bce-fp32-s42", (Hstu with { Variant = Variants.PLaw, Ablate = "gate" }).DisplayName);
    }

    [Theory]
    [InlineData(ModelFamily.Hstu, null, "rab,silu,gate", null)]
    [InlineData(ModelFamily.Hstu, Variants.PLaw, "silu,gate", null)]
    [InlineData(ModelFamily.Hstu, null, "rab,ffn", "'ffn': not an ablation; valid: rab, silu, gate")]
    [InlineData(ModelFamily.Hstu, null, "none,rab", "'none': not an ablation")]
    [InlineData(ModelFamily.Sasrec, null, "rab", "Sasrec has none")]
    [InlineData(ModelFamily.Llama, null, "gate", "Llama has none")]
    [InlineData(ModelFamily.Hstu, Variants.PLaw, "rab", "HSTU p-law has no relative attention bias")]
    public void OnlyKnownAblationsOfHstuAreValid(ModelFamily family, string? variant, string ablate, string? problem)
    {
        var o = new RunOptions { Model = family, Variant = variant, Ablate = ablate };
        var problems = o.Problems(100);
        if (problem is null)
        {
            Assert.Empty(problems);
            return;
        }
        var only = Assert.Single(problems);
        Assert.Equal("ablate", only.Key);
        Assert.StartsWith("Ablate ", only.Message, StringComparison.Ordinal);
        Assert.Contains(problem, only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldRunsWithoutTheFieldLoadAsFullHstu()
    {
        var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() }, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var stored = JsonSerializer.Serialize(Hstu with { Layers = 3 }, json);
        var old = stored.Replace(",\"ablate\":null", "", StringComparison.Ordinal).Replace("\"ablate\":null,", "", StringComparison.Ordinal);
        Assert.DoesNotContain("ablate", old, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<RunOptions>(old, json)!;
        Assert.Null(back.Ablate);
        Assert.Equal(Hstu with { Layers = 3 }, back);

        var ablated = JsonSerializer.Deserialize<RunOptions>(JsonSerializer.Serialize(Hstu with { Ablate = "silu" }, json), json)!;
        Assert.Equal("silu", ablated.Ablate);
        // A hand-written or older spelling is canonical once loaded.
        Assert.Equal("rab,gate", JsonSerializer.Deserialize<RunOptions>(old.Replace("{", "{\"ablate\":\"GATE, rab\",", StringComparison.Ordinal), json)!.Ablate);
    }
}
