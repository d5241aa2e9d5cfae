using System.Numerics.Tensors;
using PLaw.Data.Sequences;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tests.Packing;
using PLaw.Engine.Training;
using Xunit.Abstractions;

namespace PLaw.Engine.Tests.Kernels;

/// <summary>
/// One float32 training step of every model family on a real batch gives the same loss and gradients, to float32
/// rounding, whether the managed GEMM or OpenBLAS computes its products: the managed kernels are right on the shapes the
/// models really use (packed and padded, α ≠ 1, transposed operands), not only on the shapes of <see cref="GemmTests"/>.
/// </summary>
public sealed class GemmBackendParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("games", ModelFamily.Sasrec, Variants.Original, LossKind.Bce, 0.3, true)]
    [InlineData("games", ModelFamily.Sasrec, Variants.PostLn, LossKind.Bce, 0.3, false)]
    [InlineData("ml100k", ModelFamily.Hstu, Variants.Reference, LossKind.SampledSoftmax, 0.3, true)]
    [InlineData("games", ModelFamily.Hstu, Variants.PLaw, LossKind.Bce, 0, true)]
    [InlineData("ml100k", ModelFamily.Hstu, Variants.PLaw, LossKind.Bce, 0.2, false)]
    [InlineData("games", ModelFamily.Llama, Variants.Standard, LossKind.Bce, 0, true)]
    [InlineData("ml100k", ModelFamily.Llama, Variants.Standard, LossKind.FullSoftmax, 0, false)]
    public void ManagedAndOpenBlasGiveTheSameStep(string data, ModelFamily family, string variant, LossKind loss, double dropout, bool packed)
    {
        if (!OpenBlas.IsAvailable) return;
        var options = new RunOptions
        {
            Model = family, Variant = variant, Loss = loss, Negatives = 6, Dim = 16, Heads = 2, Layers = 2, MaxLength = 50, Dropout = dropout,
        };
        var split = new LeaveOneOutSplit(RealBatches.Load(data));
        var batch = RealBatches.Fill(split, options, RealBatches.MixedUsers(split, 12), seed: 5);
        PackedParityTests.Result<float> blas, managed;
        using (Gemm.OnThisThread(GemmBackend.OpenBlas)) blas = PackedParityTests.Run<float>(options, split.Sequences, batch, packed);
        using (Gemm.OnThisThread(GemmBackend.Managed)) managed = PackedParityTests.Run<float>(options, split.Sequences, batch, packed);
        Assert.True(Math.Abs(managed.Loss - blas.Loss) <= Tolerance * Math.Abs(blas.Loss), $"loss {managed.Loss} vs {blas.Loss}");
        var worst = 0.0;
        foreach (var slot in ModelFactory.Create<float>(options, split.Sequences.ItemCount).Layout.Slots)
        {
            var a = blas.Grads.AsSpan(slot.Offset, slot.Length);
            var b = managed.Grads.AsSpan(slot.Offset, slot.Length);
            var norm = Math.Sqrt(TensorPrimitives.SumOfSquares<float>(a));
            if (norm == 0) continue;
            var diff = new float[slot.Length];
            TensorPrimitives.Subtract(a, b, diff);
            var error = Math.Sqrt(TensorPrimitives.SumOfSquares<float>(diff)) / norm;
            Assert.True(error <= Tolerance, $"{slot.Name}: relative gradient difference {error:E2}");
            worst = Math.Max(worst, error);
        }
        output.WriteLine($"{managed.Rows} rows; loss {blas.Loss:R} vs {managed.Loss:R}; worst gradient difference {worst:E2}");
    }
}
