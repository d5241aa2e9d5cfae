using PLaw.Entropy.Structures;

namespace PLaw.Entropy.Tests;

/// <summary>The estimators' map behaves as a dictionary through growth and O(1) resets (against Dictionary on random keys).</summary>
public sealed class LongIntMapTests
{
    [Fact]
    public void AgreesWithADictionaryThroughGrowthAndResets()
    {
        var random = new Random(7);
        var map = new LongIntMap();
        foreach (var (expected, keys) in new[] { (4, 5_000), (10_000, 3_000), (2, 40), (1_000, 20_000) })
        {
            map.Reset(expected); // the first and last rounds outgrow the size they reset to
            var reference = new Dictionary<long, int>();
            for (var i = 0; i < keys; i++)
            {
                // High and low halves both vary, and some keys repeat.
                var key = LongIntMap.Pair(random.Next(0, 3_000), random.Next(int.MinValue, int.MaxValue) % 5_000);
                var value = random.Next();
                switch (i % 3)
                {
                    case 0:
                        var got = map.GetOrAdd(key, value, out var added);
                        Assert.Equal(!reference.ContainsKey(key), added);
                        Assert.Equal(reference.TryAdd(key, value) ? value : reference[key], got);
                        break;
                    case 1:
                        var had = reference.TryGetValue(key, out var before);
                        Assert.Equal(!had, map.TryAdd(key, value, out var existing));
                        if (had) Assert.Equal(before, existing);
                        else reference[key] = value;
                        break;
                    default:
                        map.Set(key, value);
                        reference[key] = value;
                        break;
                }
            }
            Assert.Equal(reference.Count, map.Count);
            foreach (var (key, value) in reference)
            {
                Assert.True(map.TryGetValue(key, out var found));
                Assert.Equal(value, found);
            }
            Assert.False(map.TryGetValue(LongIntMap.Pair(5_000, 1), out _));
        }
        map.Reset(10);
        Assert.Equal(0, map.Count);
        Assert.False(map.TryGetValue(LongIntMap.Pair(1, 1), out _));
    }
}
