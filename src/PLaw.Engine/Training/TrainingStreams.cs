using PLaw.Data.Sequences;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Training;

/// <summary>
/// The data side every backend shares, so that two backends given the same options see the same batches: which users
/// train, the per-epoch order, and the random streams (batch order from (seed, epoch); negatives and dropout from
/// (seed, step, worker); initial weights from (seed)). A backend that does not split batches across workers is worker 0.
/// </summary>
public static class TrainingStreams
{
    public const ulong Order = 0x0BDE, Negatives = 0x4E6A, Dropout = 0xD80B, Init = 0x1417;

    /// <summary>Users with at least two training items (one input, one target), ascending.</summary>
    public static int[] TrainUsers(LeaveOneOutSplit split) =>
        Enumerable.Range(0, split.Sequences.UserCount).Where(u => split.Train(u).Length >= 2).ToArray();

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
