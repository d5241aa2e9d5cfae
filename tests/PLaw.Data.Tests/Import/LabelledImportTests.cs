using PLaw.Data.Import;
using PLaw.Data.Preprocessing;
using PLaw.Data.Sequences;

namespace PLaw.Data.Tests.Import;

/// <summary>Labelled impressions from ratings: rating ≥ threshold → positive, carried with each interaction through cleaning.</summary>
public sealed class LabelledImportTests
{
    // Out of time order in the file, a duplicate line early in user 1's, an item (14) in the middle of user 2's that the item
    // core removes, and a user (7) that the user core removes: every step moves labels with their interactions.
    private const string UData =
        "1\t11\t3\t100\n" +
        "1\t11\t3\t100\n" +
        "1\t10\t5\t300\n" +
        "2\t10\t4\t50\n" +
        "2\t14\t5\t55\n" +
        "1\t12\t4\t200\n" +
        "2\t12\t1\t60\n" +
        "7\t13\t5\t10\n" +
        "2\t11\t2\t70\n";

    private static bool[][] Labels(SequenceSet set) =>
        Enumerable.Range(0, set.UserCount).Select(u => set.LabelsOf(u).ToArray()).ToArray();

    [Fact]
    public void RatingsAtOrAboveTheThresholdArePositiveAndTravelWithTheirInteractions()
    {
        using var dir = new TempDirectory();
        var result = DatasetImporter.Import(dir.Write("u.data", UData),
            new ImportOptions(InteractionFormat.MovieLens, Preprocess: new PreprocessOptions(UserCore: 2, ItemCore: 2, RemoveDuplicates: true),
                LabelThreshold: ImportOptions.DefaultLabelThreshold));
        var set = result.Sequences;
        // User 1 by time: 11 (3) at 100, 12 (4) at 200, 10 (5) at 300; user 2: 10 (4), 12 (1), 11 (2); item 14 and user 7 are gone.
        SequenceAssert.Equal([[1, 2, 3], [3, 2, 1]], set);
        Assert.Equal(new[] { new[] { false, true, true }, new[] { true, false, false } }, Labels(set));
        Assert.Equal(3, result.Statistics.PositiveLabels);
    }

    [Fact]
    public void TheThresholdDecidesAndWithoutOneNoLabelsAreKept()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("u.data", UData);
        var strict = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.MovieLens, LabelThreshold: 5)).Sequences;
        Assert.Equal(3, strict.Labels!.Count(l => l)); // the three 5s
        var plain = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.MovieLens));
        Assert.Null(plain.Sequences.Labels);
        Assert.Null(plain.Statistics.PositiveLabels);
    }

    [Fact]
    public void LabelsNeedARatingColumn()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() =>
            DatasetImporter.Import(dir.Write("seq.txt", "1 2\n1 3\n"), new ImportOptions(InteractionFormat.Sasrec, LabelThreshold: 4)));
        Assert.Contains("need a rating column", e.Message, StringComparison.Ordinal);
    }
}
