namespace PLaw.Laws.Optima;

/// <summary>Which (layers, dim) may be chosen.</summary>
public abstract record OptimumConstraint
{
    public abstract bool Allows(int layers, int dim);

    public abstract string Describe();
}

/// <summary>Any point of the search space (the global optimum).</summary>
public sealed record Unconstrained : OptimumConstraint
{
    public override bool Allows(int layers, int dim) => true;
    public override string Describe() => "none";
}

/// <summary>Depth fixed at <paramref name="Layers"/>; only the width is chosen.</summary>
public sealed record FixedLayers(int Layers) : OptimumConstraint
{
    public override bool Allows(int layers, int dim) => layers == Layers;
    public override string Describe() => $"layers = {Layers}";
}

/// <summary>n·d within <paramref name="Tolerance"/> (relative) of <paramref name="Budget"/> — the paper's "layers × width ≈ 512".</summary>
public sealed record LayersTimesDim(long Budget, double Tolerance = 0.1) : OptimumConstraint
{
    public override bool Allows(int layers, int dim) => Math.Abs((double)layers * dim - Budget) <= Tolerance * Budget;
    public override string Describe() => $"layers × dim = {Budget} ± {Tolerance:P0}";
}

/// <summary>Non-embedding parameters (by <paramref name="ParameterCount"/>, e.g. <see cref="ParameterCounts.PmSasrec"/>) at most <paramref name="Budget"/>.</summary>
public sealed record MaxParameters(long Budget, Func<int, int, long> ParameterCount) : OptimumConstraint
{
    public override bool Allows(int layers, int dim) => ParameterCount(layers, dim) <= Budget;
    public override string Describe() => $"non-embedding parameters ≤ {Budget:N0}";
}

/// <summary>Training FLOPs per token (by <paramref name="FlopsPerToken"/>, e.g. <see cref="TrainingFlops.ForFamily"/>) at most <paramref name="Budget"/>.</summary>
public sealed record MaxTrainingFlops(double Budget, Func<int, int, double> FlopsPerToken) : OptimumConstraint
{
    public override bool Allows(int layers, int dim) => FlopsPerToken(layers, dim) <= Budget;
    public override string Describe() => $"training FLOPs per token ≤ {Budget:G4}";
}
