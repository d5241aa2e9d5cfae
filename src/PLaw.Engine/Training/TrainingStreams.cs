using PLaw.Data.Sequences;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Training;

/// <summary>
/// The data side every backend shares, so that two backends given the same options see the same batches: which users
/// train, the per-epoch order, and the random streams (batch order from (seed, epoch); negatives and dropout from
/// (seed, step, worker); initial weights from (seed); the held-out new users from (seed, <see cref="NewUserPick"/>)).
/// A backend that does not split batches across workers is worker 0.
/// </summary>
public static class TrainingStreams
{
    public const ulong Order = 0x0BDE, Negatives = 0x4E6A, Dropout = 0xD80B, Init = 0x1417, NewUserPick = 0x4E05;

    /// <summary>Users with at least two training items (one input, one target), ascending, except the held-out new users
    /// (<see cref="NewUsers"/>): those never reach a training batch.</summary>
    public static int[] TrainUsers(LeaveOneOutSplit split, RunOptions options)
    {
        var held = HeldOut(split, options);
        return Enumerable.Range(0, split.Sequences.UserCount).Where(u => split.Train(u).Length >= 2 && !held[u]).ToArray();
    }

    /// <summary>The users ordinary validation and test metrics score: the scored users without the new users, ascending.</summary>
    public static int[] ScoredUsers(LeaveOneOutSplit split, RunOptions options)
    {
        if (options.NewUserShare <= 0) return split.ScoredUsers;
        var held = HeldOut(split, options);
        return split.ScoredUsers.Where(u => !held[u]).ToArray();
    }

    /// <summary>
    /// LSRM §V cold start: the users held out of training as new users, ascending. They are drawn among the scored users
    /// (at least three items, so each has a test target): round(share × scored users) of them, the first ones of a
    /// Fisher–Yates shuffle of the scored users on the (seed, <see cref="NewUserPick"/>) stream, a stream no other draw
    /// uses, so the choice depends on the seed and the data only. Empty when <see cref="RunOptions.NewUserShare"/> is 0.
    /// </summary>
    public static int[] NewUsers(LeaveOneOutSplit split, RunOptions options)
    {
        var scored = split.ScoredUsers;
        var count = (int)Math.Round(options.NewUserShare * scored.Length, MidpointRounding.AwayFromZero);
        if (count <= 0) return [];
        return Sample(scored, count, options.Seed, NewUserPick);
    }

    /// <summary><paramref name="count"/> of <paramref name="population"/>, ascending: the first ones of a partial Fisher–Yates
    /// shuffle of a copy on the (seed, <paramref name="stream"/>) stream.</summary>
    public static int[] Sample(int[] population, int count, int seed, ulong stream)
    {
        var pick = (int[])population.Clone();
        var rng = Rng.For((ulong)seed, stream);
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.NextInt(pick.Length - i);
            (pick[i], pick[j]) = (pick[j], pick[i]);
        }
        var chosen = pick[..count];
        Array.Sort(chosen);
        return chosen;
    }

    private static bool[] HeldOut(LeaveOneOutSplit split, RunOptions options)
    {
        var held = new bool[split.Sequences.UserCount];
        foreach (var u in NewUsers(split, options)) held[u] = true;
        return held;
    }

    /// <summary>Writes epoch <paramref name="epoch"/>'s order of <paramref name="users"/> into <paramref name="order"/>
    /// (Fisher–Yates on the (seed, epoch) stream).</summary>
    public static void Shuffle(int seed, int epoch, int[] users, int[] order)
    {
        users.CopyTo(order, 0);
        var rng = Rng.For((ulong)seed, Order, (ulong)epoch);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>The seed of worker <paramref name="worker"/>'s stream <paramref name="stream"/> at 1-based step <paramref name="step"/>.</summary>
    public static ulong StepSeed(int seed, ulong stream, long step, int worker) => Rng.Mix((ulong)seed, stream, (ulong)step, (ulong)worker);
}
