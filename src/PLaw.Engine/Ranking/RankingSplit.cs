using PLaw.Data.Sequences;

namespace PLaw.Engine.Ranking;

/// <summary>
/// The ranking task's split of each user's labelled impressions, in time order: the last <see cref="HeldOut"/> are the test
/// impressions, the <see cref="HeldOut"/> before them the validation impressions, the rest training. This is the retrieval
/// protocol's leave-one-out with <see cref="HeldOut"/> impressions in place of one: GAUC is a per-user AUC, which needs a user
/// with a positive and a negative impression in the same split, and one impression per user would leave none. Every held-out
/// impression is scored given the same history (training, and for test the validation impressions with their actions
/// fed, as retrieval feeds the validation item), never given another held-out impression's action.
/// Users with fewer than <see cref="MinimumScoredLength"/> items are training-only.
/// </summary>
public sealed class RankingSplit
{
    /// <summary>Impressions per user in the validation split, and again in the test split.</summary>
    public const int HeldOut = 5;

    /// <summary>At least one training impression, then the validation and the test impressions.</summary>
    public const int MinimumScoredLength = 2 * HeldOut + 1;

    public RankingSplit(SequenceSet sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Labels is null) throw new ArgumentException("The ranking split needs labelled sequences.", nameof(sequences));
        Sequences = sequences;
        var scored = new List<int>(sequences.UserCount);
        var train = new List<int>(sequences.UserCount);
        for (var u = 0; u < sequences.UserCount; u++)
        {
            if (sequences.Length(u) >= MinimumScoredLength) scored.Add(u);
            if (TrainLength(u) > 0) train.Add(u);
        }
        ScoredUsers = [.. scored];
        TrainUsers = [.. train];
    }

    public SequenceSet Sequences { get; }

    /// <summary>Users with validation and test impressions, ascending.</summary>
    public int[] ScoredUsers { get; }

    /// <summary>Users with at least one training impression, ascending (every user: short ones train on all they have).</summary>
    public int[] TrainUsers { get; }

    /// <summary>Number of training impressions: all but the held-out ones for scored users, everything for the others.</summary>
    public int TrainLength(int user)
    {
        var n = Sequences.Length(user);
        return n >= MinimumScoredLength ? n - 2 * HeldOut : n;
    }

    /// <summary>Where a split's impressions start in the user's sequence, and the history before them.</summary>
    public int HeldOutStart(int user, bool test) => Sequences.Length(user) - (test ? HeldOut : 2 * HeldOut);
}
