namespace PLaw.Data.Sequences;

/// <summary>
/// Leave-one-out split (SASRec, P-Law): for a user with n ≥ 3 items the last is the test target, the second
/// to last the validation target, the rest training. Users with fewer than <see cref="MinimumScoredLength"/>
/// items are train-only and are never scored.
/// </summary>
public sealed class LeaveOneOutSplit
{
    public const int MinimumScoredLength = 3;

    public LeaveOneOutSplit(SequenceSet sequences)
    {
        Sequences = sequences;
        var scored = new List<int>(sequences.UserCount);
        for (var u = 0; u < sequences.UserCount; u++)
            if (sequences.Length(u) >= MinimumScoredLength)
                scored.Add(u);
        ScoredUsers = scored.ToArray();
    }

    public SequenceSet Sequences { get; }

    /// <summary>Users with at least three items, in ascending order.</summary>
    public int[] ScoredUsers { get; }

    /// <summary>Training items: all but the last two for scored users, everything for train-only users.</summary>
    public ReadOnlySpan<int> Train(int user)
    {
        var s = Sequences.Sequence(user);
        return s.Length >= MinimumScoredLength ? s[..^2] : s;
    }

    /// <summary>Training items followed by the validation item: the input at test time.</summary>
    public ReadOnlySpan<int> TrainAndValidation(int user)
    {
        var s = Sequences.Sequence(user);
        return s.Length >= MinimumScoredLength ? s[..^1] : s;
    }

    public int ValidationTarget(int user) => Sequences.Sequence(user)[^2];

    public int TestTarget(int user) => Sequences.Sequence(user)[^1];
}
