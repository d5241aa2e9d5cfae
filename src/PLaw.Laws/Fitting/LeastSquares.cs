namespace PLaw.Laws.Fitting;

/// <summary>
/// Ordinary least squares y ≈ X·β for the few-column linear parts of starting points and for lines: normal equations on
/// unit-norm columns, solved by Cholesky. Small and allocation-light because every fit solves dozens of these.
/// </summary>
public static class LeastSquares
{
    /// <summary>β minimising ‖Xβ − y‖², or null when X is (numerically) rank-deficient or the solution is not finite.</summary>
    public static double[]? Solve(double[,] x, IReadOnlyList<double> y)
    {
        int m = x.GetLength(0), k = x.GetLength(1);
        if (m < k) return null;
        var scale = new double[k];
        for (var j = 0; j < k; j++)
        {
            var s = 0.0;
            for (var i = 0; i < m; i++) s += x[i, j] * x[i, j];
            scale[j] = Math.Sqrt(s);
            if (!(scale[j] > 0) || !double.IsFinite(scale[j])) return null;
        }
        var normal = new double[k, k];
        var rhs = new double[k];
        for (var i = 0; i < m; i++)
        for (var a = 0; a < k; a++)
        {
            var xa = x[i, a] / scale[a];
            rhs[a] += xa * y[i];
            for (var b = 0; b <= a; b++) normal[a, b] += xa * x[i, b] / scale[b];
        }
        // Cholesky L·Lᵀ in the lower triangle; a pivot below 1e-10 (columns are unit-norm) means collinear columns.
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var sum = normal[a, b];
                for (var c = 0; c < b; c++) sum -= normal[a, c] * normal[b, c];
                if (a == b)
                {
                    if (sum < 1e-10) return null;
                    normal[a, a] = Math.Sqrt(sum);
                }
                else normal[a, b] = sum / normal[b, b];
            }
        }
        var z = new double[k];
        for (var a = 0; a < k; a++)
        {
            var sum = rhs[a];
            for (var c = 0; c < a; c++) sum -= normal[a, c] * z[c];
            z[a] = sum / normal[a, a];
        }
        var beta = new double[k];
        for (var a = k - 1; a >= 0; a--)
        {
            var sum = z[a];
            for (var c = a + 1; c < k; c++) sum -= normal[c, a] * beta[c];
            beta[a] = sum / normal[a, a];
        }
        for (var a = 0; a < k; a++) beta[a] /= scale[a];
        return beta.All(double.IsFinite) ? beta : null;
    }
}
