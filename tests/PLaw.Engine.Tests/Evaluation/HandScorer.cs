using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Evaluation;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Evaluation;

/// <summary>
/// A scorer whose numbers are written by hand, run through the real <see cref="Evaluator"/>: the hidden state of a
/// position is 2 × the one-hot vector of its input item (width I + 1), and E_j[last] = table[last, j] / 2, so the score
/// h·E_j of item j after input item <c>last</c> is exactly table[last, j] (halving is exact). An infinite entry is stored
/// as ±float.MaxValue, which overflows to ±∞ for that input only; a NaN entry poisons item j for every input (0·NaN),
/// as a diverged item row would.
/// </summary>
internal sealed class HandScorer : ISequenceModel<float>
{
    private Graph<float>? _graph;

    public HandScorer(RunOptions options, int itemCount)
    {
        Options = options;
        ItemCount = itemCount;
        ItemEmbedding = Layout.Add("item_emb", itemCount + 1, itemCount + 1, isEmbedding: true);
    }

    public RunOptions Options { get; }
    public int ItemCount { get; }
    public ParameterLayout Layout { get; } = new();
    public ParameterSlot ItemEmbedding { get; }

    public void Initialize(Span<float> values, Rng rng) => values.Clear();

    public void Attach(Graph<float> graph) => _graph = graph;

    public Var<float> Forward(SequenceBatch batch)
    {
        var h = _graph!.Alloc(batch.Rows, ItemCount + 1);
        h.Value.Clear();
        for (var r = 0; r < batch.Rows; r++) h.Row(r)[batch.Inputs[r]] = 2;
        return h;
    }

    /// <summary>Evaluates <paramref name="data"/> with the scores of <paramref name="table"/> ([I + 1, I + 1]).</summary>
    public static Dictionary<string, double> Evaluate(SequenceSet data, float[,] table, EvalProtocol eval, bool test, int threads = 2,
        int maxLength = 10, int seed = 42)
    {
        var options = new RunOptions
        {
            Dim = data.ItemCount + 1, MaxLength = maxLength, Eval = eval, EvalUsers = 0, Seed = seed, Threads = threads,
        };
        var split = new LeaveOneOutSplit(data);
        var models = new ISequenceModel<float>[threads];
        var graphs = new Graph<float>[threads];
        var first = new HandScorer(options, data.ItemCount);
        var store = new ParameterStore<float>(first.Layout);
        var e = first.ItemEmbedding;
        for (var j = 0; j <= data.ItemCount; j++)
            for (var last = 0; last <= data.ItemCount; last++)
                store.Values[e.Offset + j * e.Cols + last] = float.IsInfinity(table[last, j])
                    ? float.CopySign(float.MaxValue, table[last, j])
                    : table[last, j] / 2;
        for (var w = 0; w < threads; w++)
        {
            var model = w == 0 ? first : new HandScorer(options, data.ItemCount);
            graphs[w] = new Graph<float>(store);
            model.Attach(graphs[w]);
            models[w] = model;
        }
        using var pool = new WorkerPool(threads);
        return new Evaluator(options, split, models, graphs, pool).Evaluate(test, epoch: 1);
    }
}
