using PLaw.Worker.Queue;

namespace PLaw.Worker.Tests.Queue;

/// <summary>The metric sink's flush interval follows what flushes cost, between the configured floor and half a second.</summary>
public sealed class FlushPacingTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void CheapFlushesStayAtTheConfiguredInterval()
    {
        var pacing = new FlushPacing(Ms(250));
        // 0.2 ms of CPU a flush is 0.08 % of a core at 250 ms: within the budget.
        for (var i = 0; i < 20; i++) pacing.Flushed(Ms(0.2));
        Assert.Equal(Ms(250), pacing.Interval);
    }

    [Fact]
    public void CostlierFlushesGetFewerAndLargerUpToHalfASecond()
    {
        var pacing = new FlushPacing(Ms(100));
        // 0.75 ms a flush needs 300 ms between flushes to stay within 0.25 % of a core.
        for (var i = 0; i < 30; i++) pacing.Flushed(Ms(0.75));
        Assert.InRange(pacing.Interval.TotalMilliseconds, 299, 301);
        // Per-point cost that grows with the interval (fast steps): it settles at the ceiling, never past it.
        for (var i = 0; i < 30; i++) pacing.Flushed(pacing.Interval * 0.01);
        Assert.Equal(FlushPacing.MaxLatency, pacing.Interval);
        // Cheap again (slower steps): back down to the floor.
        for (var i = 0; i < 30; i++) pacing.Flushed(Ms(0.01));
        Assert.InRange(pacing.Interval.TotalMilliseconds, 100, 101);
    }

    [Fact]
    public void AConfiguredIntervalAboveHalfASecondIsKept()
    {
        var pacing = new FlushPacing(Ms(2000));
        pacing.Flushed(Ms(50));
        Assert.Equal(Ms(2000), pacing.Interval);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlushPacing(TimeSpan.Zero));
    }
}
