using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

public sealed class HstuReference<T>(RunOptions options, int itemCount) : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public RunOptions Options => options;
    public int ItemCount => itemCount;
    public ParameterLayout Layout => throw new NotSupportedException();
    public ParameterSlot ItemEmbedding => throw new NotSupportedException();
    public void Initialize(Span<T> values, Rng rng) => throw new NotSupportedException();
    public void Attach(Graph<T> graph) => throw new NotSupportedException();
    public Var<T> Forward(SequenceBatch batch) => throw new NotSupportedException();
}
public sealed class HstuPLaw<T>(RunOptions options, int itemCount) : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public RunOptions Options => options;
    public int ItemCount => itemCount;
    public ParameterLayout Layout => throw new NotSupportedException();
    public ParameterSlot ItemEmbedding => throw new NotSupportedException();
    public void Initialize(Span<T> values, Rng rng) => throw new NotSupportedException();
    public void Attach(Graph<T> graph) => throw new NotSupportedException();
    public Var<T> Forward(SequenceBatch batch) => throw new NotSupportedException();
}
public sealed class Llama<T>(RunOptions options, int itemCount) : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public RunOptions Options => options;
    public int ItemCount => itemCount;
    public ParameterLayout Layout => throw new NotSupportedException();
    public ParameterSlot ItemEmbedding => throw new NotSupportedException();
    public void Initialize(Span<T> values, Rng rng) => throw new NotSupportedException();
    public void Attach(Graph<T> graph) => throw new NotSupportedException();
    public Var<T> Forward(SequenceBatch batch) => throw new NotSupportedException();
}
