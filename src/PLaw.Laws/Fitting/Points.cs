namespace PLaw.Laws.Fitting;

/// <summary>One measured run for a performance law: layers n, embedding width d, metric value (HR@K, NDCG@K, MRR).</summary>
public sealed record PerformancePoint(int Layers, int Dim, double Value);

/// <summary>One run of a dataset for the joint law: <paramref name="Quality"/> is the dataset's tokens/ApEn (or tokens × real entropy).</summary>
public sealed record DatasetPerformancePoint(string Dataset, double Quality, int Layers, int Dim, double Value);

/// <summary>One run for a loss law: non-embedding parameters, loss, and (for the data laws) the data size.</summary>
public sealed record ScalingPoint(double Params, double Loss, double? Tokens = null);
