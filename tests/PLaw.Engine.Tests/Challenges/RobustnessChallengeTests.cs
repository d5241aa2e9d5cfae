using PLaw.Engine.Challenges;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests.Challenges;

public sealed class RobustnessChallengeTests
{
    private static readonly int[] Items = [11, 12, 13, 14, 15, 16, 17, 18];
    private static readonly long[] Times = [100, 200, 300, 400, 500, 600, 700, 800];

    /// <summary>The seed's uniform draws, one per item (and the replacement's draw after a hit), stepped by hand here.</summary>
    [Fact]
    public void RemovalDropsExactlyTheItemsWhoseDrawIsBelowP()
    {
        var draws = new Rng(7);
        var kept = new List<int>();
        var keptTimes = new List<long>();
        for (var i = 0; i < Items.Length; i++)
            if (draws.NextDouble() >= 0.3)
            {
                kept.Add(Items[i]);
                keptTimes.Add(Times[i]);
            }
        Assert.InRange(kept.Count, 1, Items.Length - 1); // this seed removes some and keeps some: the case is not trivial

        var outItems = new int[8];
        var outTimes = new long[8];
        var n = InputPerturbation.Apply(PerturbationKind.Remove, 0.3, Items, Times, 20, new Rng(7), outItems, outTimes);
        Assert.Equal(kept, outItems[..n]);
        Assert.Equal(keptTimes, outTimes[..n]);
    }

    [Fact]
    public void ReplacementDrawsAUniformItemForEachHitAndKeepsTheTimes()
    {
        var draws = new Rng(11);
        var expected = new int[Items.Length];
        var replaced = 0;
        for (var i = 0; i < Items.Length; i++)
        {
            var hit = draws.NextDouble() < 0.3;
            expected[i] = hit ? draws.NextInt(20) + 1 : Items[i];
            if (hit) replaced++;
        }
        Assert.InRange(replaced, 1, Items.Length - 1);

        var outItems = new int[8];
        var outTimes = new long[8];
        var n = InputPerturbation.Apply(PerturbationKind.Replace, 0.3, Items, Times, 20, new Rng(11), outItems, outTimes);
        Assert.Equal(8, n);
        Assert.Equal(expected, outItems);
        Assert.Equal(Times, outTimes);
        Assert.All(outItems, i => Assert.InRange(i, 1, 20));
    }

    [Fact]
    public void RemovingEverythingKeepsTheNewestItemAndPZeroChangesNothing()
    {
        var outItems = new int[8];
        var outTimes = new long[8];
        Assert.Equal(1, InputPerturbation.Apply(PerturbationKind.Remove, 1.0, Items, Times, 20, new Rng(1), outItems, outTimes));
        Assert.Equal(18, outItems[0]);
        Assert.Equal(800, outTimes[0]);
        Assert.Equal(8, InputPerturbation.Apply(PerturbationKind.Replace, 0.0, Items, default, 20, new Rng(1), outItems, outTimes));
        Assert.Equal(Items, outItems);
    }

    [Fact]
    public void TheRelativeDropIsCleanMinusNoisyOverClean()
    {
        Assert.Equal(0.25, RobustnessChallenge.Drop(0.8, 0.6)!.Value, 12);
        Assert.Equal(-0.5, RobustnessChallenge.Drop(0.4, 0.6)!.Value, 12);
        Assert.Null(RobustnessChallenge.Drop(0, 0.1));
        Assert.Null(RobustnessChallenge.Drop(null, 0.1));
    }

    /// <summary>
    /// 20 items, 6 users of 6 items; user u (0-based) has history 2u+1 .. 2u+5 and test target 20. After input item i
    /// (its newest item) the scorer ranks 20 first when i is a user's real newest history item (the clean window always
    /// ends with one), else 20 last. So a user hits exactly when the perturbed window still ends with its own newest item.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void NoisyInputsAreScoredAgainstTheCleanTargetWithSeededNoise(int threads)
    {
        var sequences = Enumerable.Range(0, 6).Select(u => Enumerable.Range(2 * u + 1, 5).Append(20).ToArray()).ToArray();
        var data = TableScorer.Data(20, sequences);
        var t = new float[21, 21];
        for (var k = 0; k <= 20; k++) t[k, 20] = -1;
        foreach (var s in sequences) t[s[^2], 20] = 1;
        using var scorer = TableScorer.Create(data, t, TableKey.LastItem, threads);
        int[] users = [0, 1, 2, 3, 4, 5];
        var r = RobustnessChallenge.Run(scorer, users, TableScorer.NoProgress(), CancellationToken.None);

        Assert.Equal(6, r.Users);
        Assert.Equal(1.0, r.CleanHitRate10);
        Assert.Equal(1.0, r.CleanNdcg10);
        Assert.Equal(["remove", "remove", "remove", "replace", "replace", "replace"], r.Perturbations.Select(p => p.Kind));
        Assert.Equal([0.1, 0.2, 0.3, 0.1, 0.2, 0.3], r.Perturbations.Select(p => p.P));
        var setting = 0;
        foreach (var p in r.Perturbations)
        {
            setting++;
            // Each user's noise, replayed from its documented stream: (seed, stream, setting, user).
            var hits = 0;
            foreach (var u in users)
            {
                var window = sequences[u][..^1];
                var rng = new Rng(Rng.Mix(42, RobustnessChallenge.Stream, (ulong)setting, (ulong)u));
                var outItems = new int[window.Length];
                var n = InputPerturbation.Apply(p.Kind == "remove" ? PerturbationKind.Remove : PerturbationKind.Replace, p.P, window, default, 20,
                    rng, outItems, new long[window.Length]);
                if (t[outItems[n - 1], 20] > 0) hits++;
            }
            Assert.Equal(hits / 6.0, p.HitRate10!.Value, 12);
            Assert.Equal(hits / 6.0, p.Ndcg10!.Value, 12);
            Assert.Equal((6 - hits) / 6.0, p.HitRateDrop!.Value, 12);
        }
        Assert.Contains(r.Perturbations, p => p.HitRate10 < 1); // the noise does reach some newest items
    }
}
