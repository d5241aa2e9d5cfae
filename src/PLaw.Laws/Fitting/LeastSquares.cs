using MathNet.Numerics.LinearAlgebra;

namespace PLaw.Laws.Fitting;

/// <summary>Ordinary least squares y ≈ X·β by QR, for the linear parts of starting points and for linear links.</summary>
public static class LeastSquares
{
    /// <summary>β minimising ‖Xβ − y‖², or null when X is rank-deficient or the solution is not finite.</summary>
    public static double[]? Solve(double[,] x, IReadOnlyList<double> y)
    {
        var a = Matrix<double>.Build.DenseOfArray(x);
        if (a.RowCount < a.ColumnCount || a.Rank() < a.ColumnCount) return null;
        var beta = a.QR().Solve(Vector<double>.Build.DenseOfEnumerable(y)).ToArray();
        return beta.All(double.IsFinite) ? beta : null;
    }
}
