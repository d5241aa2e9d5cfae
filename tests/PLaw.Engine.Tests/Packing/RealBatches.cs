using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Packing;

/// <summary>Real data for the packing tests: Amazon Games (mostly short windows) and ML-100K (with timestamps).</summary>
internal static class RealBatches
{
    public const string Games = "/work/shared/data/amazon-games/games.txt";
    public const string MovieLens = "/work/shared/data/ml-100k/u.data";
    private static readonly Lazy<SequenceSet> GamesSet = new(() => DatasetImporter.Import(Games, new ImportOptions(InteractionFormat.Sasrec)).Sequences);
    private static readonly Lazy<SequenceSet> MovieLensSet = new(() => DatasetImporter.Import(MovieLens, new ImportOptions(InteractionFormat.MovieLens)).Sequences);

    public static SequenceSet Load(string name) => name == "games" ? GamesSet.Value : MovieLensSet.Value;

    /// <summary>
    /// Training users whose windows mix the shortest (one input), middling and longest (no pad at all) histories,
    /// interleaved, so neighbouring blocks differ in size.
    /// </summary>
    public static int[] MixedUsers(LeaveOneOutSplit split, int count)
    {
        var users = TrainingStreams.TrainUsers(split, new RunOptions()).OrderBy(u => split.Train(u).Length).ThenBy(u => u).ToArray();
        var picked = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var at = (i % 3) switch { 0 => i / 3, 1 => users.Length / 2 + i, _ => users.Length - 1 - i / 3 };
            picked.Add(users[at]);
        }
        return [.. picked];
    }

    /// <summary>A filled training batch for <paramref name="users"/>, with the loss's negatives.</summary>
    public static SequenceBatch Fill(LeaveOneOutSplit split, RunOptions options, int[] users, ulong seed)
    {
        var batch = new SequenceBatch(options.MaxLength);
        new BatchSampler(split, options.MaxLength).FillTraining(batch, users, LossHead<double>.NegativesFor(options),
            LossHead<double>.ExcludesHistory(options), new Rng(seed));
        return batch;
    }

    /// <summary>The first users of <paramref name="all"/>, their histories cut to 8…60 items, so windows of 50 are partly
    /// padded and partly full.</summary>
    public static SequenceSet Slice(SequenceSet all, int users)
    {
        var offsets = new List<int> { 0 };
        var items = new List<int>();
        var times = new List<long>();
        for (var u = 0; u < users; u++)
        {
            var s = all.Sequence(u);
            var n = Math.Min(s.Length, 8 + u * 13 % 53);
            items.AddRange(s[..n].ToArray());
            times.AddRange(all.Times(u)[..n].ToArray());
            offsets.Add(items.Count);
        }
        return new SequenceSet([.. offsets], [.. items], all.ItemCount, [.. times]);
    }
}
