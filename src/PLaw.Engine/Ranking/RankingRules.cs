using PLaw.Data.Sequences;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;

namespace PLaw.Engine.Ranking;

/// <summary>What a ranking run (<see cref="RunTask.Ranking"/>) needs from its options and its data, said in words.</summary>
public static class RankingRules
{
    /// <summary>The option problems of a ranking run (<see cref="RunOptions.Problems"/> calls this).</summary>
    public static void AddProblems(RunOptions o, List<OptionProblem> problems)
    {
        void Add(string key, string message) => problems.Add(new OptionProblem(key, message));
        if (o.Model != ModelFamily.Hstu)
            Add("task", $"The ranking task is HSTU's (item-then-action interleaving); {o.Model} trains retrieval only. Use --model hstu.");
        if (o.Backend == TrainingBackends.Torch)
            Add("backend", "The ranking task runs on the native engine only (the torch backend has no ranking head); use --backend native or auto.");
        if (o.Loss != LossKind.Bce)
            Add("loss", "The ranking task trains binary cross-entropy on the impressions' labels; --loss applies to retrieval only (leave it at bce).");
        if (o.NewUserShare > 0)
            Add("new-user-share", "The ranking task holds out no new users (the cold-start challenge is a retrieval task); set it to 0.");
        if ((long)2 * o.MaxLength > RunLimits.MaxWindow)
            Add("max-len", $"The ranking task interleaves items and actions, so its window is 2 × {o.MaxLength} tokens, above {RunLimits.MaxWindow:N0}.");
    }

    /// <summary>Throws when <paramref name="data"/> cannot train a ranking run: it has no labels, or no user has enough.</summary>
    public static void CheckData(SequenceSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is null)
            throw new ArgumentException(
                "The ranking task needs labelled impressions, and this dataset has no labels. Import a file with a rating column " +
                $"with --labels (rating ≥ --label-threshold, default {PLaw.Data.Import.ImportOptions.DefaultLabelThreshold:G} → positive), " +
                "or generate synthetic data with --labels; or train --task retrieval.");
        var split = new RankingSplit(data);
        if (split.ScoredUsers.Length == 0)
            throw new ArgumentException($"The ranking task scores users with at least {RankingSplit.MinimumScoredLength} labelled interactions " +
                                        $"({RankingSplit.HeldOut} validation and {RankingSplit.HeldOut} test impressions after one training item); this dataset has none.");
    }
}
