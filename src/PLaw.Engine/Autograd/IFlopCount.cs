namespace PLaw.Engine.Autograd;

/// <summary>
/// An op's arithmetic, for the profile's achieved GFLOP/s: the floating-point operations (a multiply-add counts two) of its
/// last forward call and of the backward that follows it. Product-shaped ops (linear layers, attention tiles, loss logits)
/// count their products exactly; normalisation counts a nominal few per element. Ops without a count are bound by memory,
/// not arithmetic, and the profile lists only their time.
/// </summary>
public interface IFlopCount
{
    long ForwardFlops { get; }
    long BackwardFlops { get; }
}
