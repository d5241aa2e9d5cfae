using MathNet.Numerics.LinearAlgebra;

namespace PLaw.Laws.Fitting;

/// <summary>Options of one Levenberg–Marquardt descent.</summary>
public sealed record LmOptions(int MaxIterations = 400, double RelativeTolerance = 1e-10, double StepTolerance = 1e-10);

/// <summary>Where one descent ended.</summary>
public sealed record LmResult(double[] Parameters, double Sse, int Iterations, bool Converged);

/// <summary>
/// A compact bounded Levenberg–Marquardt (Marquardt 1963 scaling) on MathNet matrices. Parameters move in the free
/// variables of <see cref="BoundTransform"/>; the Jacobian is the model's analytic gradient times dp/du. Each iteration
/// solves (JᵀJ + λ·diag JᵀJ) δ = Jᵀr by Cholesky (with weights, J and r are those of the weighted residuals √w·r), accepts δ when the sum of squares drops (λ ← λ/3) and otherwise
/// raises λ (×4). Stops when the relative drop is below <see cref="LmOptions.RelativeTolerance"/>, the step below
/// <see cref="LmOptions.StepTolerance"/>, the sum of squares is at rounding level, or λ exceeds 1e16.
/// Written here rather than calling MathNet's <c>LevenbergMarquardtMinimizer</c> because the fitter needs the Jacobian in
/// parameter space at the end anyway, runs hundreds of warm-started descents in a bootstrap, and must treat singular
/// normal equations (non-identifiable parameters) as normal, not as an exception; a test compares both on the same problem.
/// </summary>
public static class LevenbergMarquardt
{
    public static LmResult Minimize(ILawModel model, FitData data, ReadOnlySpan<double> start, LmOptions? options = null)
    {
        options ??= new LmOptions();
        var specs = model.Parameters;
        int k = specs.Count, m = data.Count;
        var u = new double[k];
        for (var j = 0; j < k; j++) u[j] = BoundTransform.ToFree(specs[j], start[j]);
        var p = new double[k];
        var trialU = new double[k];
        var trialP = new double[k];
        var residual = new double[m];
        var jacobian = new double[m * k]; // [m, k], in free variables
        var grad = new double[k];
        var normal = Matrix<double>.Build.Dense(k, k);
        var damped = Matrix<double>.Build.Dense(k, k);
        var rhs = Vector<double>.Build.Dense(k);

        ToParameters(specs, u, p);
        var sse = SumOfSquares(model, data, p, residual);
        if (!double.IsFinite(sse)) return new LmResult(p, double.PositiveInfinity, 0, false);
        var floor = 1e-30 * (1 + (data.Weights is { } w ? data.Values.Select((v, i) => w[i] * v * v).Sum() : data.Values.Sum(v => v * v)));
        double lambda = 1e-3;
        var iterations = 0;
        var converged = false;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            FreeJacobian(model, data, specs, u, p, jacobian, grad);
            normal.Clear();
            rhs.Clear();
            for (var i = 0; i < m; i++)
            {
                var row = jacobian.AsSpan(i * k, k);
                for (var a = 0; a < k; a++)
                {
                    rhs[a] += row[a] * residual[i];
                    for (var b = 0; b <= a; b++) normal[a, b] += row[a] * row[b];
                }
            }
            var maxDiagonal = 0.0;
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < a; b++) normal[b, a] = normal[a, b];
                maxDiagonal = Math.Max(maxDiagonal, normal[a, a]);
            }
            if (maxDiagonal == 0 || !double.IsFinite(maxDiagonal)) break;

            var improved = false;
            while (lambda <= 1e16)
            {
                normal.CopyTo(damped);
                for (var a = 0; a < k; a++) damped[a, a] += lambda * Math.Max(normal[a, a], 1e-12 * maxDiagonal);
                Vector<double> step;
                try { step = damped.Cholesky().Solve(rhs); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException) { lambda *= 4; continue; }
                double stepNorm = 0, uNorm = 0;
                for (var j = 0; j < k; j++)
                {
                    trialU[j] = u[j] + step[j];
                    stepNorm += step[j] * step[j];
                    uNorm += u[j] * u[j];
                }
                ToParameters(specs, trialU, trialP);
                var trialSse = SumOfSquares(model, data, trialP, null);
                if (double.IsFinite(trialSse) && trialSse < sse)
                {
                    var drop = (sse - trialSse) / sse;
                    trialU.CopyTo(u, 0);
                    trialP.CopyTo(p, 0);
                    sse = SumOfSquares(model, data, p, residual);
                    lambda = Math.Max(lambda / 3, 1e-15);
                    improved = true;
                    if (drop < options.RelativeTolerance || Math.Sqrt(stepNorm) < options.StepTolerance * (Math.Sqrt(uNorm) + options.StepTolerance))
                        converged = true;
                    break;
                }
                lambda *= 4;
            }
            if (!improved || sse <= floor) { converged = true; break; }
            if (converged) break;
        }
        return new LmResult(p, sse, iterations, converged);
    }

    internal static void ToParameters(IReadOnlyList<ParameterSpec> specs, ReadOnlySpan<double> u, Span<double> p)
    {
        for (var j = 0; j < specs.Count; j++) p[j] = BoundTransform.FromFree(specs[j], u[j]);
    }

    /// <summary>Σ wᵢ·(y − f(x; p))² (wᵢ = 1 without weights); writes the weighted residuals √wᵢ·(y − f) when
    /// <paramref name="residual"/> is given.</summary>
    internal static double SumOfSquares(ILawModel model, FitData data, ReadOnlySpan<double> p, double[]? residual)
    {
        var sse = 0.0;
        var weights = data.Weights;
        for (var i = 0; i < data.Count; i++)
        {
            var r = data.Values[i] - model.Value(data.Input(i), p);
            if (weights is not null) r *= Math.Sqrt(weights[i]);
            if (residual is not null) residual[i] = r;
            sse += r * r;
        }
        return double.IsNaN(sse) ? double.PositiveInfinity : sse;
    }

    private static void FreeJacobian(ILawModel model, FitData data, IReadOnlyList<ParameterSpec> specs, double[] u, double[] p,
        double[] jacobian, double[] grad)
    {
        var k = specs.Count;
        var weights = data.Weights;
        for (var i = 0; i < data.Count; i++)
        {
            model.Gradient(data.Input(i), p, grad);
            var scale = weights is null ? 1.0 : Math.Sqrt(weights[i]);   // the Jacobian of the weighted residuals √w·r
            for (var j = 0; j < k; j++) jacobian[i * k + j] = grad[j] * BoundTransform.Derivative(specs[j], u[j]) * scale;
        }
    }
}
