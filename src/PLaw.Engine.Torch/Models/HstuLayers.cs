using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PLaw.Engine.Torch.Models;

/// <summary>Row-wise pieces of the two HSTU variants, each the tensor form of a native kernel.</summary>
public static class HstuLayers
{
    /// <summary>
    /// s·E[id] per id, as the native <c>Embedding</c> with padding row 0: E[0] is read (P-Law's pads see a non-zero E[0])
    /// but gets no gradient. ids [B, L] → [B·L, d].
    /// </summary>
    public static Tensor Lookup(Tensor table, Tensor ids, double scale)
    {
        var flat = ids.reshape(-1);
        var rows = table.index_select(0, flat);
        var pad = flat.eq(0).unsqueeze(1);
        return where(pad, rows.detach(), rows).mul(scale);
    }

    /// <summary>HSTU's LN₀: layer norm without affine, x̂ = (x − μ)/√(σ² + ε) (models.md §3a).</summary>
    public static Tensor LayerNorm0(Tensor x, double epsilon) => F.layer_norm(x, [x.shape[1]], eps: epsilon);

    /// <summary>RMSNorm (LLaMA): y = γ ⊙ x/√(mean x² + ε) (models.md §4).</summary>
    public static Tensor RmsNorm(Tensor x, Tensor gamma, double epsilon) =>
        x.mul(x.square().mean([-1], keepdim: true).add(epsilon).rsqrt()).mul(gamma);

    /// <summary>y = x/max(‖x‖, ε) per row (GR's output normalisation); torch's norm has a zero gradient at a zero row.</summary>
    public static Tensor L2Normalize(Tensor x, double epsilon) =>
        x.div(linalg.vector_norm(x, 2, [-1], keepdim: true).clamp_min(epsilon));
}
