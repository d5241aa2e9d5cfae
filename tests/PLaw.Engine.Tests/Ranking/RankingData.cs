using PLaw.Data.Sequences;
using PLaw.Data.Synthetic;

namespace PLaw.Engine.Tests.Ranking;

/// <summary>Small labelled impressions for the ranking tests: the walks of <see cref="TestData"/>, long enough to be scored
/// (at least 11 items: one training, five validation, five test), labelled by <see cref="SyntheticLabels"/>.</summary>
internal static class RankingData
{
    public static SequenceSet Walks(int users = 40, int items = 30, bool timestamps = true, SyntheticLabelOptions? labels = null) =>
        SyntheticLabels.Attach(TestData.Walks(users, items, minLength: 12, maxLength: 24, timestamps: timestamps), labels ?? new SyntheticLabelOptions(Seed: 5));
}
