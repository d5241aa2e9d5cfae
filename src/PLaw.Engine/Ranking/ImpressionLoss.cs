using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Ranking;

/// <summary>
/// Binary cross-entropy of labelled impressions on the ranker's logits z [R, 1], over the rows whose target y_r is 0 or 1
/// (<see cref="Interleaving.NoTarget"/> rows take no part):
///   ℓ = scale·Σ_r [y_r·softplus(−z_r) + (1 − y_r)·softplus(z_r)],  dz_r = scale·(σ(z_r) − y_r)   (models.md §10, BCE).
/// scale = 1/(targets in the whole batch), so the sum over workers is the mean. The root of the tape.
/// </summary>
public sealed class ImpressionLoss<T>(Graph<T> graph) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _logits;
    private sbyte[] _targets = [];
    private T _scale;

    /// <returns>The (scaled) loss of these rows.</returns>
    public double Forward(Var<T> logits, sbyte[] targets, double scale)
    {
        if (logits.Cols != 1) throw new ArgumentException($"Impression loss: logits have {logits.Cols} columns, expected 1.", nameof(logits));
        if (targets.Length < logits.Rows) throw new ArgumentException($"Impression loss: {targets.Length} targets for {logits.Rows} rows.", nameof(targets));
        (_logits, _targets, _scale) = (logits, targets, T.CreateTruncating(scale));
        var z = logits.Value;
        var loss = 0.0;
        for (var r = 0; r < logits.Rows; r++)
        {
            var y = targets[r];
            if (y < 0) continue;
            loss += double.CreateTruncating(Activation.Softplus(y == 1 ? -z[r] : z[r]));
        }
        if (graph.Training) graph.Tape.Record(this);
        return loss * scale;
    }

    public void Backward()
    {
        if (!_logits.HasGrad) return;
        var z = _logits.Value;
        var dz = _logits.Gradient;
        for (var r = 0; r < _logits.Rows; r++)
        {
            var y = _targets[r];
            if (y < 0) continue;
            dz[r] += (Activation.Sigmoid(z[r]) - (y == 1 ? T.One : T.Zero)) * _scale;
        }
    }
}
