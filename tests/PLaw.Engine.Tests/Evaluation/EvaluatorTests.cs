using PLaw.Data.Sequences;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Evaluation;

/// <summary>
/// The evaluator on hand-scored data where every number is computable by hand (scores from <see cref="HandScorer"/>).
/// Catalogue of 50 items. Users 0–3 own the block b = 10u: train b+1..b+6, validation b+7, test b+8. User 4 re-consumes:
/// train 41..46, validation 41 (already in its history), test 47. After each user's last input, its own history
/// scores 3, its target 2 and every other item 1, so the target ranks first exactly when the history is kept out.
/// </summary>
public sealed class EvaluatorTests
{
    private const int Items = 50;

    private static readonly int[][] Sequences =
    [
        [1, 2, 3, 4, 5, 6, 7, 8],
        [11, 12, 13, 14, 15, 16, 17, 18],
        [21, 22, 23, 24, 25, 26, 27, 28],
        [31, 32, 33, 34, 35, 36, 37, 38],
        [41, 42, 43, 44, 45, 46, 41, 47],
    ];

    internal static SequenceSet Data(int[][] sequences, int items)
    {
        var offsets = new List<int> { 0 };
        foreach (var s in sequences) offsets.Add(offsets[^1] + s.Length);
        return new SequenceSet(offsets.ToArray(), sequences.SelectMany(s => s).ToArray(), items);
    }

    /// <summary>The scores described above. At test time the input ends with the validation item; its row scores the
    /// validation item <paramref name="validationAtTest"/> (3 = like the history, which full ranking must mask; 1 = like
    /// any other item, since sampled negatives exclude only the training items, as in pmixer and Kang's code).</summary>
    private static float[,] Table(float validationAtTest)
    {
        var t = new float[Items + 1, Items + 1];
        for (var i = 0; i <= Items; i++)
            for (var j = 0; j <= Items; j++) t[i, j] = 1;
        foreach (var s in Sequences)
        {
            var train = s[..^2];
            int valid = s[^2], test = s[^1];
            foreach (var h in train) t[train[^1], h] = 3;
            t[train[^1], valid] = 2;
            foreach (var h in train) t[valid, h] = 3;
            t[valid, valid] = validationAtTest;
            t[valid, test] = 2;
        }
        return t;
    }

    [Theory]
    [InlineData(EvalProtocol.Sampled100, false)]
    [InlineData(EvalProtocol.Sampled100, true)]
    [InlineData(EvalProtocol.Sampled2500, false)]
    [InlineData(EvalProtocol.Sampled2500, true)]
    public void SampledNegativesNeverIncludeTheTrainingHistory(EvalProtocol protocol, bool test)
    {
        // Negatives ∉ train(u): they score 1, or are drawn copies of the target (the same item, not a rival), so every
        // target ranks first. One drawn history item (score 3) would push its user below rank 1.
        var m = HandScorer.Evaluate(Data(Sequences, Items), Table(validationAtTest: 1), protocol, test);
        Assert.Equal(5, m["users"]);
        Assert.Equal(1.0, m["HR@1"]);
        Assert.Equal(1.0, m["NDCG@10"]);
        Assert.Equal(1.0, m["MRR"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FullRankingMasksTheInputHistoryButKeepsTheTarget(bool test)
    {
        // Masked: the input history (train; plus the validation item at test time), except the target (user 4's
        // validation target 41 is in its history). Unmasked: the target (2) and `others` items scoring 1, so
        // rank 1 and loss = ln(e² + others·e) − 2. Without the mask the 6 history items (3) rank above every target.
        var m = HandScorer.Evaluate(Data(Sequences, Items), Table(validationAtTest: 3), EvalProtocol.Full, test);
        int[] others = test ? [42, 42, 42, 42, 43] : [43, 43, 43, 43, 44];
        var loss = others.Average(n => Math.Log(Math.Exp(2) + n * Math.E) - 2);
        Assert.Equal(5, m["users"]);
        Assert.Equal(1.0, m["HR@1"]);
        Assert.Equal(1.0, m["NDCG@1"]);
        Assert.Equal(1.0, m["MRR"]);
        Assert.Equal(loss, m["loss"], 5);
    }

    [Fact]
    public void AConstantScorerRanksLastUnderFullRanking()
    {
        // Every score 0: each target ties with every unmasked candidate and, pessimistically, ranks behind all of them.
        // Unmasked candidates in validation: 50 − 6 history = 44 (users 0–3), 50 − 5 = 45 (user 4, whose target 41 is kept).
        var m = HandScorer.Evaluate(Data(Sequences, Items), new float[Items + 1, Items + 1], EvalProtocol.Full, test: false);
        int[] ranks = [44, 44, 44, 44, 45];
        Assert.Equal(0.0, m["HR@10"]);
        Assert.Equal(0.0, m["NDCG@10"]);
        Assert.Equal(1.0, m["HR@50"]);
        Assert.Equal(ranks.Average(r => 1 / Math.Log2(r + 1)), m["NDCG@50"], 12);
        Assert.Equal(ranks.Average(r => 1.0 / r), m["MRR"], 12);
        Assert.Equal(ranks.Average(r => Math.Log(r)), m["loss"], 5); // uniform over r candidates
    }

    [Fact]
    public void AConstantScorerDoesNotWinTheSampledTies()
    {
        // Rank = 1 + #(negatives that are not the target). Of the 44 items a negative can be, 43 are not the target,
        // so far more than 49 of the 100 draws are rivals: no target reaches rank 50 (ties in its favour would give 1).
        var m = HandScorer.Evaluate(Data(Sequences, Items), new float[Items + 1, Items + 1], EvalProtocol.Sampled100, test: false);
        Assert.Equal(0.0, m["HR@50"]);
        Assert.Equal(0.0, m["NDCG@50"]);
        Assert.InRange(m["MRR"], 1 / 101.0, 1 / 51.0);
    }

    [Theory]
    [InlineData(EvalProtocol.Full, float.PositiveInfinity, "Infinity")]
    [InlineData(EvalProtocol.Sampled100, float.NegativeInfinity, "-Infinity")]
    public void AnInfiniteScoreStopsTheEvaluationNamingTheUserAndTheItem(EvalProtocol protocol, float bad, string shown)
    {
        // User 1's validation target 17 and user 3's target 37 score ±∞; user 3 is scored by the second worker, and the
        // error names the lowest user.
        var table = Table(validationAtTest: 1);
        table[16, 17] = bad;
        table[36, 37] = bad;
        var e = Assert.Throws<InvalidOperationException>(() => HandScorer.Evaluate(Data(Sequences, Items), table, protocol, test: false));
        Assert.Contains("(validation, epoch 1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("user 1 (0-based index in the data set; target item 17)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"score {shown} for item 17;", e.Message, StringComparison.Ordinal);
        Assert.Contains("must be a finite number", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EvalProtocol.Full, false)]
    [InlineData(EvalProtocol.Sampled100, false)]
    [InlineData(EvalProtocol.Sampled2500, true)]
    public void ANaNItemRowStopsTheEvaluationAtTheFirstUser(EvalProtocol protocol, bool test)
    {
        // A NaN in item 7's row gives every user NaN for item 7: user 0 is scored first and 7 is its validation target
        // (index 0 of the sampled candidates; the first non-finite item of its full row, 1..6 being finite).
        var table = Table(validationAtTest: 1);
        table[6, 7] = float.NaN;
        var e = Assert.Throws<InvalidOperationException>(() => HandScorer.Evaluate(Data(Sequences, Items), table, protocol, test));
        Assert.Contains(test ? "(test, epoch 1)" : "(validation, epoch 1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("user 0 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("score NaN for item 7;", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonFiniteScoreOfAMaskedItemStillStopsFullRanking()
    {
        // The check runs on the raw scores, before the history is masked: a non-finite score anywhere means the model is broken.
        var table = Table(validationAtTest: 3);
        table[6, 2] = float.PositiveInfinity; // user 0's history item 2, masked at ranking time
        var e = Assert.Throws<InvalidOperationException>(() => HandScorer.Evaluate(Data(Sequences, Items), table, EvalProtocol.Full, test: false));
        Assert.Contains("user 0 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("score Infinity for item 2;", e.Message, StringComparison.Ordinal);
    }
}
