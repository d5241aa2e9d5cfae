using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests.Packing;

/// <summary>Positional dropout draws equal the full mask's entries at the positions taken, and end the stream where it ends.</summary>
public sealed class DropoutDrawsTests
{
    [Theory]
    [InlineData(1000, 0.5)]
    [InlineData(1003, 0.3)]   // a tail of 3 elements with a draw each
    [InlineData(2, 0.2)]
    public void TakenEntriesMatchTheFullMask(int total, double p)
    {
        var full = new float[total];
        var fullRng = new Rng(9);
        Dropout<float>.Fill(fullRng, p, full);

        // Runs of random lengths at random gaps, starting anywhere (also mid-draw), and the last element left untaken,
        // so Finish has draws to take.
        var pick = new Rng(1);
        var rng = new Rng(9);
        var draws = new DropoutDraws<float>(rng, p, total);
        var at = pick.NextInt(Math.Min(3, total - 1));
        var checkedCount = 0;
        while (at < total - 1)
        {
            var run = Math.Min(1 + pick.NextInt(9), total - 1 - at);
            var got = new float[run];
            draws.Fill(at, got);
            Assert.Equal(full.AsSpan(at, run).ToArray(), got);
            checkedCount += run;
            at += run + pick.NextInt(7);
        }
        draws.Finish();
        Assert.True(checkedCount > 0);
        Assert.Equal(fullRng.NextUInt64(), rng.NextUInt64());
    }

    [Fact]
    public void DoubleMasksMatchToo()
    {
        var full = new double[203];
        Dropout<double>.Fill(new Rng(2), 0.5, full);
        var draws = new DropoutDraws<double>(new Rng(2), 0.5, 203);
        var tail = new double[8];
        draws.Fill(195, tail);
        Assert.Equal(full.AsSpan(195).ToArray(), tail);
    }
}
