using PLaw.Data.Sequences;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Training;

/// <summary>
/// Fills a worker's <see cref="SequenceBatch"/> the way pmixer's WarpSampler does (models.md §1, §6): inputs are the
/// last L items of train[:-1], left-padded; the target at each position is the next training item; negatives are
/// uniform over 1..I, excluding the user's training items (BCE), or over the whole catalogue (sampled softmax, GR's
/// "local" sampler, collisions masked in the loss).
/// </summary>
public sealed class BatchSampler(LeaveOneOutSplit split, int maxLength)
{
    private readonly int[] _stamp = new int[split.Sequences.ItemCount + 1];
    private int _generation;

    public int ItemCount => split.Sequences.ItemCount;

    /// <summary>Marks a user's items as excluded until the next call (a generation stamp, so nothing is cleared).</summary>
    public void Exclude(ReadOnlySpan<int> items)
    {
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamp);
            _generation = 1;
        }
        foreach (var i in items) _stamp[i] = _generation;
    }

    public bool IsExcluded(int item) => _stamp[item] == _generation;

    /// <summary>Uniform item in 1..I not excluded (pmixer's random_neq); all items excluded cannot happen for scored users.</summary>
    public int Negative(Rng rng)
    {
        int t;
        var guard = 0;
        do t = rng.NextInt(ItemCount) + 1;
        while (IsExcluded(t) && ++guard < 10_000);
        return t;
    }

    public void FillTraining(SequenceBatch batch, ReadOnlySpan<int> users, int negatives, bool excludeHistory, Rng rng)
    {
        batch.Reset(users.Length, negatives);
        var times = split.Sequences.Timestamps is not null;
        batch.HasTimes = times;
        var l = maxLength;
        for (var b = 0; b < users.Length; b++)
        {
            var u = users[b];
            var train = split.Train(u);
            var trainTimes = times ? split.Sequences.Times(u)[..train.Length] : default;
            if (excludeHistory) Exclude(train);
            // Positions L−1, L−2, … take train[n−2], train[n−3], … with targets train[n−1], train[n−2], …
            var idx = l - 1;
            for (var t = train.Length - 2; t >= 0 && idx >= 0; t--, idx--)
            {
                var r = b * l + idx;
                batch.Inputs[r] = train[t];
                batch.Targets[r] = train[t + 1];
                if (times)
                {
                    batch.InputTimes[r] = trainTimes[t];
                    batch.TargetTimes[r] = trainTimes[t + 1];
                }
                for (var k = 0; k < negatives; k++)
                    batch.Negatives[r * negatives + k] = excludeHistory ? Negative(rng) : rng.NextInt(ItemCount) + 1;
            }
        }
    }

    /// <summary>Evaluation input: the last L items of <paramref name="history"/> (train, plus the validation item for test).</summary>
    public void FillInput(SequenceBatch batch, int b, ReadOnlySpan<int> history, ReadOnlySpan<long> historyTimes, long targetTime)
    {
        var l = maxLength;
        var n = Math.Min(l, history.Length);
        for (var i = 0; i < n; i++)
        {
            var r = b * l + l - n + i;
            batch.Inputs[r] = history[history.Length - n + i];
            if (!historyTimes.IsEmpty)
            {
                batch.InputTimes[r] = historyTimes[history.Length - n + i];
                batch.TargetTimes[r] = i + 1 < n ? historyTimes[history.Length - n + i + 1] : targetTime;
            }
        }
    }
}
