using PLaw.Data.Import;
using PLaw.Data.Sequences;

namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>Data for the training tests: tiny learnable walks, and MovieLens-100K from /work/shared/data.</summary>
internal static class TrainingData
{
    /// <summary>User u walks the catalogue with stride 1 + u mod 3, 6–14 items each (PLaw.Engine.Tests' TestData.Walks).</summary>
    public static SequenceSet Walks(int users = 40, int items = 30)
    {
        var offsets = new List<int> { 0 };
        var seq = new List<int>();
        for (var u = 0; u < users; u++)
        {
            var n = 6 + u * 7 % 9;
            for (var t = 0; t < n; t++) seq.Add((u + t * (1 + u % 3)) % items + 1);
            offsets.Add(seq.Count);
        }
        return new SequenceSet(offsets.ToArray(), seq.ToArray(), items, null);
    }

    public const string MovieLensPath = "/work/shared/data/ml-100k/u.data";

    private static readonly Lazy<SequenceSet> MovieLensData = new(() =>
        DatasetImporter.Import(MovieLensPath, new ImportOptions(InteractionFormat.MovieLens)).Sequences);

    /// <summary>ML-100K (943 users, 1,682 items), read once per test run.</summary>
    public static SequenceSet MovieLens() => MovieLensData.Value;
}
