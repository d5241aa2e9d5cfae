using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// Rotary position embedding as the native <c>Kernels.Rope</c> (Su et al. 2021; models.md §4), for LLaMA's and P-Law
/// HSTU's q and k: adjacent pairs (2i, 2i+1) of each head, θ_i = 10000^(−2i/d_h), position t = index 0..L−1 in the
/// left-padded window (pads count),
///   (a, b) → (a cos tθ_i − b sin tθ_i, a sin tθ_i + b cos tθ_i).
/// The cos/sin tables are computed in double by the native formula and kept for the last window length.
/// </summary>
public sealed class Rotary(int headSize, ScalarType dtype, Device device) : IDisposable
{
    private Tensor? _cos, _sin;
    private long _length = -1;

    /// <summary>
    /// Rotates x → a new tensor of its shape. x is [B, L, …] or [B·L, …] with a multiple of d_h values per position:
    /// [B, L, H, d_h] (LLaMA), or [B·L, width] with several heads side by side (HSTU's q and k).
    /// </summary>
    public Tensor Rotate(Tensor x, long length)
    {
        Tables(length);
        var half = headSize / 2;
        // [B, L, heads, d_h/2, 2]: pair i of every head at every position
        var positions = x.dim() == 2 ? x.shape[0] : x.shape[0] * x.shape[1];
        var heads = x.numel() / positions / headSize;
        var pairs = x.reshape(-1, length, heads, half, 2);
        var a = pairs.select(-1, 0);
        var b = pairs.select(-1, 1);
        var ya = a.mul(_cos!).sub(b.mul(_sin!));
        var yb = a.mul(_sin!).add(b.mul(_cos!));
        return stack([ya, yb], -1).reshape(x.shape);
    }

    private void Tables(long length)
    {
        if (length == _length) return;
        var half = headSize / 2;
        var cos = new double[length * half];
        var sin = new double[length * half];
        for (var t = 0; t < length; t++)
        for (var i = 0; i < half; i++)
        {
            var angle = t * Math.Pow(10000, -2.0 * i / headSize);
            cos[t * half + i] = Math.Cos(angle);
            sin[t * half + i] = Math.Sin(angle);
        }
        _cos?.Dispose();
        _sin?.Dispose();
        // [1, L, 1, d_h/2]: broadcast over sequences and heads; kept beyond the caller's dispose scope
        _cos = tensor(cos, [1, length, 1, half], dtype, device).DetachFromDisposeScope();
        _sin = tensor(sin, [1, length, 1, half], dtype, device).DetachFromDisposeScope();
        _length = length;
    }

    public void Dispose()
    {
        _cos?.Dispose();
        _sin?.Dispose();
    }
}
