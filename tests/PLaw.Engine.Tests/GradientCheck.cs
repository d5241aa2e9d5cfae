using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests;

/// <summary>
/// Finite-difference gradient checks in double (models.md §10): every input of the op under test is a slot of a
/// parameter store, so analytic gradients land in the graph's gradient array. The scalar checked is Σ r_i·y_i with
/// a fixed random projection r (for ops) or the loss itself (for loss ops). Central differences with h = 1e-6.
/// </summary>
internal sealed class GradientCheck
{
    private const double H = 1e-6;
    public GradientCheck(ParameterLayout? layout = null) => Layout = layout ?? new ParameterLayout();

    public ParameterLayout Layout { get; }
    private ParameterStore<double>? _store;

    public ParameterSlot Input(string name, int rows, int cols) => Layout.Add(name, rows, cols);

    public ParameterStore<double> Store => _store ??= CreateStore();

    private ParameterStore<double> CreateStore()
    {
        var store = new ParameterStore<double>(Layout);
        var rng = new Rng(12345);
        for (var i = 0; i < store.Values.Length; i++) store.Values[i] = rng.NextGaussian();
        return store;
    }

    /// <summary>Max error |a − n|/max(1, |a|, |n|) between analytic and numeric gradients of Σ r·forward.</summary>
    public double Output(Func<Graph<double>, Var<double>> forward, Func<int, bool>? skip = null) =>
        Run(g =>
        {
            var y = forward(g);
            var r = Projection(y.Length);
            var s = 0.0;
            for (var i = 0; i < y.Length; i++) s += r[i] * y.Value[i];
            return (s, () => { r.AsSpan(0, y.Length).CopyTo(y.Gradient); });
        }, skip);

    /// <summary>The same for an op that returns a scalar loss and seeds its own gradient.</summary>
    public double Loss(Func<Graph<double>, double> forward, Func<int, bool>? skip = null) =>
        Run(g => (forward(g), () => { }), skip);

    private double[] _projection = [];

    private double[] Projection(int n)
    {
        if (_projection.Length >= n) return _projection;
        var rng = new Rng(999);
        _projection = new double[n];
        for (var i = 0; i < n; i++) _projection[i] = rng.NextGaussian();
        return _projection;
    }

    public double[] AnalyticGradient { get; private set; } = [];
    public double[] NumericGradient { get; private set; } = [];

    private double Run(Func<Graph<double>, (double Value, Action Seed)> f, Func<int, bool>? skip)
    {
        var store = Store;
        var graph = new Graph<double>(store);
        double Evaluate(bool backward)
        {
            graph.Begin(training: true);
            graph.Rng.Reseed(77);
            var (value, seed) = f(graph);
            if (backward)
            {
                Array.Clear(graph.Grads);
                seed();
                graph.Tape.Backward();
            }
            return value;
        }
        Evaluate(backward: true);
        AnalyticGradient = (double[])graph.Grads.Clone();
        NumericGradient = new double[store.Values.Length];
        var worst = 0.0;
        for (var i = 0; i < store.Values.Length; i++)
        {
            if (skip is not null && skip(i)) continue;
            var original = store.Values[i];
            store.Values[i] = original + H;
            var plus = Evaluate(false);
            store.Values[i] = original - H;
            var minus = Evaluate(false);
            store.Values[i] = original;
            var numeric = (plus - minus) / (2 * H);
            NumericGradient[i] = numeric;
            var a = AnalyticGradient[i];
            // Relative error for gradients of magnitude ≥ 1, absolute below (round-off of the summed scalar is ~1e-9).
            var err = Math.Abs(a - numeric) / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(numeric)));
            worst = Math.Max(worst, err);
        }
        return worst;
    }
}
