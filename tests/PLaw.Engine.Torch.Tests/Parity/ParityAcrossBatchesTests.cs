using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;
using PLaw.Tests.Common;
using Xunit.Abstractions;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>
/// Parity on real data rather than synthetic windows: batches of ML-100K users (1682 items) built by the native
/// <see cref="BatchSampler"/> as training and evaluation build them, with L = 20. ML-100K users have at least 20
/// ratings, so the shortest users' training windows keep 3 left pads and the long users' windows are full.
/// </summary>
public sealed class ParityAcrossBatchesTests(ITestOutputHelper output)
{
    private const int Length = 20, Users = 8;

    private static readonly Lazy<LeaveOneOutSplit> MovieLens = new(() =>
    {
        RepoPaths.RequireSharedData();
        var data = DatasetImporter.Import(RepoPaths.MovieLens100K, new ImportOptions(InteractionFormat.MovieLens)).Sequences;
        return new LeaveOneOutSplit(data);
    });

    public static TheoryData<string> Batches => ["training, shortest users", "training, users across the set", "evaluation"];

    [Theory]
    [MemberData(nameof(Batches))]
    public void LlamaMatchesNativeOnMovieLens(string kind)
    {
        var split = MovieLens.Value;
        var batch = Build(split, kind);
        var options = new RunOptions
        {
            Model = ModelFamily.Llama, Variant = Variants.Standard, Layers = 2, Heads = 2, Dim = 16, MaxLength = Length,
        };
        ForwardParity.AssertMatches(ForwardParity.Run(options, split.Sequences.ItemCount, batch), output: output);
    }

    private static SequenceBatch Build(LeaveOneOutSplit split, string kind)
    {
        var users = split.ScoredUsers;
        var shortest = users.OrderBy(u => split.Sequences.Length(u)).ThenBy(u => u).Take(Users).ToArray();
        var across = Enumerable.Range(0, Users).Select(i => users[i * (users.Length / Users)]).ToArray();
        var sampler = new BatchSampler(split, Length);
        var batch = new SequenceBatch(Length);
        switch (kind)
        {
            case "training, shortest users":
                sampler.FillTraining(batch, shortest, negatives: 1, excludeHistory: true, new Rng(5));
                Assert.Contains(0, batch.Inputs.AsSpan(0, batch.Rows).ToArray());
                break;
            case "training, users across the set":
                sampler.FillTraining(batch, across, negatives: 1, excludeHistory: true, new Rng(6));
                break;
            default:
                // Test-time input: train + validation item, the last L of it (half the users short, half long).
                var mixed = shortest[..(Users / 2)].Concat(across[..(Users / 2)]).ToArray();
                batch.Reset(mixed.Length, 0);
                for (var b = 0; b < mixed.Length; b++)
                    sampler.FillInput(batch, b, split.TrainAndValidation(mixed[b]), default, 0);
                break;
        }
        Assert.Equal(Users, batch.Count);
        return batch;
    }
}
