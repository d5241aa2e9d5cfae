namespace PLaw.Laws.Optima;

/// <summary>
/// Training FLOPs per token (Kaplan et al. 2020, Table 1, times 3 for forward + backward):
/// C ≈ 6·N_nonemb + 6·n·L·d, the second term the attention scores and weighted sums over a context of L positions.
/// Embedding look-ups and the output softmax over items are not counted.
/// </summary>
public static class TrainingFlops
{
    public static double PerToken(long nonEmbeddingParameters, int layers, int contextLength, int dim) =>
        6.0 * nonEmbeddingParameters + 6.0 * layers * contextLength * dim;

    /// <summary>FLOPs per token of a family's model at (layers, dim) for context length L.</summary>
    public static Func<int, int, double> ForFamily(Func<int, int, long> parameterCount, int contextLength) =>
        (layers, dim) => PerToken(parameterCount(layers, dim), layers, contextLength, dim);
}
