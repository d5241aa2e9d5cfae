using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Sweeps;

/// <summary>
/// What an entropy sweep generates and trains. Every dataset shares users, items, lengths, Zipf exponent and seed; only the
/// Dirichlet concentration differs, chosen so the chain's entropy rate hits each of <see cref="RatesBits"/>. The grid is
/// layers × dims of <see cref="Model"/>, everything else fixed. Defaults finish in a few minutes on two cores.
/// </summary>
public sealed record EntropySweepRequest
{
    public double[] RatesBits { get; init; } = [2, 3, 4, 5];
    public int Users { get; init; } = 1000;
    public int Items { get; init; } = 300;
    public int MinLength { get; init; } = 20;
    public int MaxLength { get; init; } = 80;
    public double ZipfExponent { get; init; } = 1.0;
    public int Seed { get; init; } = 42;
    public double ToleranceBits { get; init; } = EntropyRateTargets.DefaultToleranceBits;
    public ModelFamily Model { get; init; } = ModelFamily.Sasrec;
    public int[] Layers { get; init; } = [1, 2];
    public int[] Dims { get; init; } = [16, 32];
    public int Epochs { get; init; } = 4;
    /// <summary>The runs' max length L; the entropy table is measured at the same L, so q counts the tokens the models see.</summary>
    public int TrainMaxLength { get; init; } = 50;
    /// <summary>The final test metric the law is fitted to.</summary>
    public string Metric { get; init; } = "NDCG@10";

    public MarkovOptions Markov => new(Users, Items, Concentration: 1, ZipfExponent, MinLength, MaxLength, Seed);

    public StudyGrid Grid => new()
    {
        Base = new RunOptions
        {
            Model = Model, MaxLength = TrainMaxLength, Dropout = 0.2, Epochs = Epochs, EvalEvery = Epochs, Eval = EvalProtocol.Full, Seed = Seed,
        },
        Layers = Layers,
        Dims = Dims,
    };

    /// <summary>Every problem with the request, naming the field; empty when it can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (RatesBits.Length < 3) problems.Add($"rates: give at least three entropy rates (the law fits w5, c and b to the datasets), got {RatesBits.Length}.");
        if (RatesBits.Any(r => !(r > 0) || !double.IsFinite(r))) problems.Add("rates: every entropy rate must be a positive number of bits.");
        if (RatesBits.Distinct().Count() != RatesBits.Length) problems.Add("rates: each entropy rate once.");
        if (RatesBits.Length > 12) problems.Add($"rates: at most 12 datasets per sweep, got {RatesBits.Length}.");
        if (Items >= 2 && RatesBits.Any(r => r > Math.Log2(Items)))
            problems.Add($"rates: {Items} items carry at most log2({Items}) = {Math.Log2(Items):F2} bits per item.");
        try { Markov.Validate(); }
        catch (ArgumentException e) { problems.Add(e.Message); }
        if (Users > 1_000_000 || Items > 20_000) problems.Add("users ≤ 1,000,000 and items ≤ 20,000 (the chain's transition matrix is items²).");
        if (!(ToleranceBits > 0)) problems.Add($"tolerance must be positive, got {ToleranceBits}.");
        if (Layers.Length == 0 || Dims.Length == 0) problems.Add("the grid needs at least one layer count and one width.");
        if (Epochs < 1) problems.Add($"epochs must be ≥ 1, got {Epochs}.");
        if (TrainMaxLength < 2) problems.Add($"the runs' max length must be ≥ 2, got {TrainMaxLength}.");
        if (string.IsNullOrWhiteSpace(Metric)) problems.Add("metric: name the final test metric to fit, e.g. NDCG@10.");
        else if (PLaw.Laws.Fitting.PerformanceMetrics.Problem(Metric) is { } problem) problems.Add($"metric: {problem}");
        return problems;
    }
}
