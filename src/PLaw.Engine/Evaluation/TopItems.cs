using System.Numerics;

namespace PLaw.Engine.Evaluation;

/// <summary>The best items of a score row, for Coverage@K and the challenge tasks' top-K lists.</summary>
public static class TopItems
{
    /// <summary>The <paramref name="top"/>.Length best items of <paramref name="row"/> (1..I), best first; on equal scores the
    /// lower id first. Slots stay −1 when fewer items are finite. One pass, insertion into a K-long list: no allocation;
    /// a run of vector lanes none of which beats the K-th best so far (nearly all of a long row) is passed over whole.</summary>
    public static void Of(ReadOnlySpan<float> row, Span<int> top, Span<float> score)
    {
        top.Fill(-1);
        score.Fill(float.NegativeInfinity);
        var j = 1;
        if (Vector.IsHardwareAccelerated)
            for (var width = Vector<float>.Count; j + width <= row.Length; j += width)
                if (!Vector.LessThanOrEqualAll(new Vector<float>(row.Slice(j, width)), new Vector<float>(score[^1])))
                    for (var i = j; i < j + width; i++) Insert(row[i], i, top, score);
        for (; j < row.Length; j++) Insert(row[j], j, top, score);
    }

    // Into the K-long list, behind every equal or better score, when it beats the K-th.
    private static void Insert(float s, int item, Span<int> top, Span<float> score)
    {
        if (s <= score[^1]) return;
        var k = top.Length - 1;
        while (k > 0 && score[k - 1] < s)
        {
            score[k] = score[k - 1];
            top[k] = top[k - 1];
            k--;
        }
        score[k] = s;
        top[k] = item;
    }
}
