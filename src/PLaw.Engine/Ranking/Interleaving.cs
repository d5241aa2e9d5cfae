using PLaw.Engine.Models;

namespace PLaw.Engine.Ranking;

/// <summary>
/// HSTU's input for ranking (Zhai et al. 2024, §2.2 "Ranking": items and actions interleaved): a user's impressions become the
/// tokens [i₁, a₁, i₂, a₂, …], where a_t is the action token of i_t's label. Item ids keep 1..I; the two actions are the extra
/// ids I + 1 (negative) and I + 2 (positive) of the same embedding table, so the HSTU backbone runs unchanged on a vocabulary of
/// I + 2 and a window of twice the items. The label of i_t is predicted from the hidden state at i_t's token, which the causal
/// mask lets see a₁..a_{t−1} and never a_t. An action token carries its item's timestamp.
/// </summary>
public static class Interleaving
{
    /// <summary>No label at this token (pads, actions, items whose label is not a target).</summary>
    public const sbyte NoTarget = -1;

    /// <summary>Token ids the backbone embeds: items 1..I and the two actions.</summary>
    public static int Vocabulary(int itemCount) => itemCount + 2;

    public static int ActionToken(int itemCount, bool positive) => itemCount + (positive ? 2 : 1);

    /// <summary>
    /// Fills window <paramref name="b"/> of <paramref name="batch"/> (its <see cref="SequenceBatch.Length"/> is the token window)
    /// with the newest impressions of <paramref name="items"/>/<paramref name="labels"/> that fit, as item-action pairs, left-padded;
    /// with a <paramref name="candidate"/> item (&gt; 0), that item comes last, without its action. <paramref name="targets"/>[row]
    /// becomes each target item's label (0/1): every history item's with <paramref name="historyTargets"/>, and the candidate's
    /// <paramref name="candidateLabel"/>; every other token of the window gets <see cref="NoTarget"/>.
    /// <paramref name="times"/> (empty without timestamps) runs parallel to <paramref name="items"/>.
    /// </summary>
    public static void Fill(SequenceBatch batch, int b, int itemCount, ReadOnlySpan<int> items, ReadOnlySpan<bool> labels,
        ReadOnlySpan<long> times, bool historyTargets, int candidate, bool candidateLabel, long candidateTime, sbyte[] targets)
    {
        if (labels.Length != items.Length) throw new ArgumentException($"{labels.Length} labels for {items.Length} items.", nameof(labels));
        var window = batch.Length;
        var slots = candidate > 0 ? window - 1 : window;
        var m = Math.Min(items.Length, slots / 2);
        var used = 2 * m + (candidate > 0 ? 1 : 0);
        var first = b * window;
        targets.AsSpan(first, window).Fill(NoTarget);
        var r = first + window - used;
        var hasTimes = !times.IsEmpty;
        for (var k = items.Length - m; k < items.Length; k++, r += 2)
        {
            batch.Inputs[r] = items[k];
            batch.Inputs[r + 1] = ActionToken(itemCount, labels[k]);
            if (historyTargets) targets[r] = labels[k] ? (sbyte)1 : (sbyte)0;
            if (!hasTimes) continue;
            // τ of the next token: the item's own action, then the next item (the candidate's, or the action's own at the end).
            var next = k + 1 < items.Length ? times[k + 1] : candidate > 0 ? candidateTime : times[k];
            (batch.InputTimes[r], batch.TargetTimes[r]) = (times[k], times[k]);
            (batch.InputTimes[r + 1], batch.TargetTimes[r + 1]) = (times[k], next);
        }
        if (candidate <= 0) return;
        batch.Inputs[r] = candidate;
        targets[r] = candidateLabel ? (sbyte)1 : (sbyte)0;
        if (hasTimes) (batch.InputTimes[r], batch.TargetTimes[r]) = (candidateTime, candidateTime);
    }
}
