using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests.Tensors;

public sealed class TensorTests
{
    [Theory]
    [InlineData(1.0f, 1.0f)]
    [InlineData(1.00390625f, 1.0f)]          // exactly halfway between 1 and 1 + 2⁻⁷: ties to even (1.0)
    [InlineData(1.01171875f, 1.015625f)]     // halfway between 1 + 2⁻⁷ (odd) and 1 + 2⁻⁶: ties to even (up)
    [InlineData(1.0040f, 1.0078125f)]        // above halfway: up
    [InlineData(-3.14159265f, -3.140625f)]
    public void Bf16RoundsToNearestEven(float x, float expected)
    {
        Assert.Equal(expected, Bf16.Round(x));
        var span = new[] { x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x };
        Bf16.RoundInPlace<float>(span);
        Assert.All(span, v => Assert.Equal(expected, v));
    }

    [Fact]
    public void Bf16LeavesNaNAndInfinityAlone()
    {
        Assert.True(float.IsNaN(Bf16.Round(float.NaN)));
        Assert.Equal(float.PositiveInfinity, Bf16.Round(float.PositiveInfinity));
        Assert.Equal(float.PositiveInfinity, Bf16.Round(float.MaxValue)); // beyond bf16's largest finite value: rounds to ∞
    }

    [Fact]
    public void RngStreamsAreReproducibleAndRestorable()
    {
        var a = Rng.For(42, 1, 2);
        var b = Rng.For(42, 1, 2);
        var c = Rng.For(42, 1, 3);
        var xs = Enumerable.Range(0, 10).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(xs, Enumerable.Range(0, 10).Select(_ => b.NextUInt64()));
        Assert.NotEqual(xs, Enumerable.Range(0, 10).Select(_ => c.NextUInt64()));
        var state = a.State;
        var next = a.NextUInt64();
        var d = new Rng(0);
        d.Restore(state);
        Assert.Equal(next, d.NextUInt64());
        Assert.All(Enumerable.Range(0, 1000).Select(_ => a.NextInt(7)), v => Assert.InRange(v, 0, 6));
    }

    [Fact]
    public void ArenaReusesMemoryAfterReset()
    {
        var arena = new Arena<float>();
        var first = arena.Alloc(100, 50, true);
        arena.Alloc(3000, 3000, true); // larger than a chunk: its own chunk
        var capacity = arena.Capacity;
        arena.Reset();
        var again = arena.Alloc(100, 50, true);
        arena.Alloc(3000, 3000, true);
        Assert.Equal(capacity, arena.Capacity);
        Assert.Same(first.Data, again.Data);
        Assert.Equal(first.Offset, again.Offset);
        Assert.All(again.Gradient.ToArray(), g => Assert.Equal(0, g));
    }
}
