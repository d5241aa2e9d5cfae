using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Challenges;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Challenges;

/// <summary>What a <see cref="TableScorer"/>'s scores depend on.</summary>
internal enum TableKey
{
    /// <summary>The newest input item: score of item j = table[last, j].</summary>
    LastItem,

    /// <summary>The number of (non-padding) items in the input window: score of item j = table[count, j].</summary>
    InputLength,
}

/// <summary>
/// A real <see cref="ISequenceModel{T}"/> with hand-set weights (like the evaluation tests' HandScorer), run through the real
/// <see cref="ChallengeScorer"/>: the hidden state of a window's last position is 2 × the one-hot vector of its key (width
/// W), and E_j[key] = table[key, j] / 2, so h·E_j is exactly table[key, j].
/// </summary>
internal sealed class TableScorer : ISequenceModel<float>
{
    private readonly TableKey _key;
    private readonly int _width;
    private Graph<float>? _graph;

    private TableScorer(RunOptions options, int itemCount, TableKey key, int width)
    {
        (Options, ItemCount, _key, _width) = (options, itemCount, key, width);
        ItemEmbedding = Layout.Add("item_emb", itemCount + 1, width, isEmbedding: true);
    }

    public RunOptions Options { get; }
    public int ItemCount { get; }
    public ParameterLayout Layout { get; } = new();
    public ParameterSlot ItemEmbedding { get; }

    public void Initialize(Span<float> values, Rng rng) => values.Clear();

    public void Attach(Graph<float> graph) => _graph = graph;

    public Var<float> Forward(SequenceBatch batch)
    {
        var h = _graph!.Alloc(batch.Rows, _width);
        h.Value.Clear();
        var l = batch.Length;
        for (var b = 0; b < batch.Count; b++)
        {
            var key = batch.Inputs[b * l + l - 1];
            if (_key == TableKey.InputLength)
            {
                key = 0;
                for (var i = 0; i < l; i++)
                    if (batch.Inputs[b * l + i] != 0) key++;
            }
            h.Row(b * l + l - 1)[key] = 2;
        }
        return h;
    }

    /// <summary>A scorer over <paramref name="data"/> whose scores are <paramref name="table"/> ([W, I + 1]) read by <paramref name="key"/>.</summary>
    public static ChallengeScorer Create(SequenceSet data, float[,] table, TableKey key, int threads = 2, int maxLength = 50,
        double newUserShare = 0, int seed = 42)
    {
        var width = table.GetLength(0);
        var options = new RunOptions
        {
            Dim = width, MaxLength = maxLength, EvalUsers = 0, Seed = seed, Threads = threads, NewUserShare = newUserShare,
        };
        var models = new ISequenceModel<float>[threads];
        var graphs = new Graph<float>[threads];
        var first = new TableScorer(options, data.ItemCount, key, width);
        var store = new ParameterStore<float>(first.Layout);
        var e = first.ItemEmbedding;
        for (var j = 0; j <= data.ItemCount; j++)
            for (var k = 0; k < width; k++)
                store.Values[e.Offset + j * e.Cols + k] = table[k, j] / 2;
        for (var w = 0; w < threads; w++)
        {
            var model = w == 0 ? first : new TableScorer(options, data.ItemCount, key, width);
            graphs[w] = new Graph<float>(store);
            model.Attach(graphs[w]);
            models[w] = model;
        }
        return new ChallengeScorer(options, data, models, graphs, new WorkerPool(threads), ownsPool: true);
    }

    /// <summary>Sequences in compressed-row form.</summary>
    public static SequenceSet Data(int items, params int[][] sequences)
    {
        var offsets = new List<int> { 0 };
        foreach (var s in sequences) offsets.Add(offsets[^1] + s.Length);
        return new SequenceSet(offsets.ToArray(), sequences.SelectMany(s => s).ToArray(), items);
    }

    public static ChallengeProgress NoProgress(long total = 0) => new(null, total);
}
