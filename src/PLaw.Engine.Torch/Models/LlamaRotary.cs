using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// Rotary position embedding as the native <c>Rope</c> kernel (Su et al. 2021; models.md §4): adjacent pairs (2i, 2i+1),
/// θ_i = 10000^(−2i/d_h), position t = index 0..L−1 in the left-padded window (pads count), and
///   (a, b) → (a cos tθ_i − b sin tθ_i, a sin tθ_i + b cos tθ_i).
/// The cos/sin tables are computed in double exactly as the native ones and kept for the last window length seen.
/// </summary>
internal sealed class LlamaRotary(int headSize, Device device, ScalarType dtype) : IDisposable
{
    private Tensor? _cos, _sin;   // [1, L, 1, d_h/2]
    private int _length = -1;

    /// <summary>Rotates x [B, L, H, d_h] (one of q, k) by its positions.</summary>
    public Tensor Apply(Tensor x)
    {
        var (count, length, heads) = (x.shape[0], x.shape[1], x.shape[2]);
        Tables((int)length);
        var pairs = x.reshape(count, length, heads, headSize / 2, 2);
        var a = pairs.select(-1, 0);
        var b = pairs.select(-1, 1);
        var ya = a * _cos! - b * _sin!;
        var yb = a * _sin! + b * _cos!;
        return stack([ya, yb], -1).reshape(count, length, heads, headSize);
    }

    private void Tables(int length)
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
        // The tables outlive the caller's dispose scope: they are reused by later forwards of the same length.
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
