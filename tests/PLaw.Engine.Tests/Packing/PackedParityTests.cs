using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Data.Sequences;
using Xunit.Abstractions;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Packing;

/// <summary>
/// Packing is a data-layout change: on a real batch with short and long windows mixed, the packed path (rows only for
/// real positions) and the padded path give the same loss, the same gradient for every parameter and leave the dropout
/// stream in the same state, in double, with dropout on (so every mask entry must land on the same position).
/// </summary>
public sealed class PackedParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    // SASRec original and HSTU reference mask their pads, so they pack with dropout on; P-Law's LLaMA and HSTU attend
    // to the pads, which are then one shared block, and pack only without dropout (each window's pads would draw masks).
    public static TheoryData<string, ModelFamily, string, LossKind, double> Layouts => new()
    {
        { "games", ModelFamily.Sasrec, Variants.Original, LossKind.Bce, 0.3 },
        { "ml100k", ModelFamily.Sasrec, Variants.Original, LossKind.Bce, 0.3 },
        { "games", ModelFamily.Sasrec, Variants.OriginalProj, LossKind.Bce, 0.3 },
        { "ml100k", ModelFamily.Hstu, Variants.Reference, LossKind.SampledSoftmax, 0.3 },
        { "games", ModelFamily.Hstu, Variants.Reference, LossKind.Bce, 0.3 },
        { "games", ModelFamily.Hstu, Variants.PLaw, LossKind.Bce, 0 },
        { "ml100k", ModelFamily.Hstu, Variants.PLaw, LossKind.SampledSoftmax, 0 },
        { "games", ModelFamily.Llama, Variants.Standard, LossKind.Bce, 0 },
        { "ml100k", ModelFamily.Llama, Variants.Standard, LossKind.Bce, 0 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void PackedAndPaddedGiveTheSameLossAndGradients(string data, ModelFamily family, string variant, LossKind loss, double dropout) =>
        AssertPackedMatchesPadded(data, family, variant, loss, dropout, null);

    // The HSTU ablations' attention (softmax) and projections on packed rows: the reference's packed blocks with dropout,
    // P-Law's shared pads without.
    [Theory]
    [InlineData("ml100k", Variants.Reference, "rab,silu,gate", 0.3)]
    [InlineData("games", Variants.Reference, "silu", 0.3)]
    [InlineData("games", Variants.PLaw, "silu,gate", 0)]
    public void AblatedPackedAndPaddedGiveTheSameLossAndGradients(string data, string variant, string ablate, double dropout) =>
        AssertPackedMatchesPadded(data, ModelFamily.Hstu, variant, LossKind.Bce, dropout, ablate);

    private void AssertPackedMatchesPadded(string data, ModelFamily family, string variant, LossKind loss, double dropout, string? ablate)
    {
        var options = new RunOptions
        {
            Model = family, Variant = variant, Ablate = ablate, Loss = loss, Negatives = 6, Dim = 16, Heads = 2, Layers = 2, MaxLength = 50,
            Dropout = dropout,
        };
        var split = new LeaveOneOutSplit(RealBatches.Load(data));
        var batch = RealBatches.Fill(split, options, RealBatches.MixedUsers(split, 12), seed: 5);
        var padded = Run(options, split.Sequences, batch, packed: false);
        var packed = Run(options, split.Sequences, batch, packed: true);

        Assert.Equal(batch.Rows, padded.Rows);
        Assert.True(packed.Rows < batch.Rows, $"{packed.Rows} of {batch.Rows} rows packed: the batch has no pads");
        Assert.Contains(batch.Packed!.Size.Take(batch.Packed.Count), n => n == options.MaxLength);
        var blocks = batch.Packed!;
        var shared = blocks.SharedPads ? blocks.Size[0] : 0;
        Assert.Equal(batch.TargetCount() + shared, packed.Rows);
        Assert.Equal(dropout == 0 && variant is Variants.PLaw or Variants.Standard, blocks.SharedPads);
        Assert.True(Math.Abs(packed.Loss - padded.Loss) <= Tolerance * Math.Abs(padded.Loss), $"loss {packed.Loss} vs {padded.Loss}");
        Assert.Equal(padded.NextDraw, packed.NextDraw);
        var layout = ModelFactory.Create<double>(options, split.Sequences.ItemCount).Layout;
        var worst = 0.0;
        foreach (var slot in layout.Slots)
        {
            var a = padded.Grads.AsSpan(slot.Offset, slot.Length);
            var b = packed.Grads.AsSpan(slot.Offset, slot.Length);
            var norm = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(a));
            Assert.True(norm > 0, $"{slot.Name} has no gradient: the check would be empty");
            var diff = new double[slot.Length];
            TensorPrimitives.Subtract(a, b, diff);
            var error = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(diff)) / norm;
            Assert.True(error <= Tolerance, $"{slot.Name}: relative gradient error {error:E2}");
            worst = Math.Max(worst, error);
        }
        output.WriteLine($"{packed.Rows}/{batch.Rows} rows; loss {padded.Loss:R}, relative loss error " +
                         $"{Math.Abs(packed.Loss - padded.Loss) / Math.Abs(padded.Loss):E2}, worst parameter gradient error {worst:E2}");
    }

    [Theory]
    [InlineData(ModelFamily.Llama, Variants.Standard, 0.1)]
    [InlineData(ModelFamily.Hstu, Variants.PLaw, 0.1)]
    [InlineData(ModelFamily.Sasrec, Variants.PostLn, 0)]
    [InlineData(ModelFamily.Sasrec, Variants.PreLn, 0)]
    public void LayoutsWhosePadsTakePartStayPadded(ModelFamily family, string variant, double dropout)
    {
        // P-Law's LLaMA and HSTU let real rows attend to the left pads (which read a non-zero E[0]): with dropout each
        // window's pads differ, so they cannot be shared. pmixer's layouts mix pads into every row (post-LN, pre-LN).
        var options = new RunOptions { Model = family, Variant = variant, Dim = 16, Heads = 2, Layers = 1, MaxLength = 50, Dropout = dropout };
        var split = new LeaveOneOutSplit(RealBatches.Load("games"));
        var batch = RealBatches.Fill(split, options, RealBatches.MixedUsers(split, 6), seed: 5);
        Assert.Equal(batch.Rows, Run(options, split.Sequences, batch, packed: true).Rows);
    }

    // In float32, with the engine's own GEMM (one FMA chain per element, in k order, whatever the shape), the layouts
    // whose pads are masked give the padded path's loss and gradients to the bit: pads only add exact zeros. (OpenBLAS
    // picks kernels by shape, so there the two differ by float32 rounding.)
    [Theory]
    [InlineData("games", ModelFamily.Sasrec, Variants.Original, LossKind.Bce)]
    [InlineData("ml100k", ModelFamily.Sasrec, Variants.OriginalProj, LossKind.Bce)]
    [InlineData("ml100k", ModelFamily.Hstu, Variants.Reference, LossKind.SampledSoftmax)]
    [InlineData("games", ModelFamily.Hstu, Variants.Reference, LossKind.Bce)]
    public void InFloat32WithTheOrderedGemmPackedAndPaddedAreBitIdentical(string data, ModelFamily family, string variant, LossKind loss)
    {
        var options = new RunOptions
        {
            Model = family, Variant = variant, Loss = loss, Negatives = 6, Dim = 16, Heads = 2, Layers = 2, MaxLength = 50, Dropout = 0.3,
        };
        var split = new LeaveOneOutSplit(RealBatches.Load(data));
        var batch = RealBatches.Fill(split, options, RealBatches.MixedUsers(split, 12), seed: 5);
        using var gemm = Gemm.OnThisThread(GemmBackend.Managed);
        var padded = Run<float>(options, split.Sequences, batch, packed: false);
        var packed = Run<float>(options, split.Sequences, batch, packed: true);
        Assert.True(packed.Rows < padded.Rows, $"{packed.Rows} of {padded.Rows} rows packed: the batch has no pads");
        Assert.Equal(padded.Loss, packed.Loss);
        var layout = ModelFactory.Create<float>(options, split.Sequences.ItemCount).Layout;
        foreach (var slot in layout.Slots)
        {
            var a = padded.Grads.AsSpan(slot.Offset, slot.Length);
            var b = packed.Grads.AsSpan(slot.Offset, slot.Length);
            Assert.True(TensorPrimitives.SumOfSquares<float>(a) > 0, $"{slot.Name} has no gradient: the check would be empty");
            for (var i = 0; i < slot.Length; i++)
                if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                    Assert.Fail($"{slot.Name}[{i}]: padded {a[i]:R}, packed {b[i]:R}");
        }
    }

    internal sealed record Result<T>(double Loss, T[] Grads, int Rows, ulong NextDraw);

    internal static Result<double> Run(RunOptions options, SequenceSet data, SequenceBatch batch, bool packed) =>
        Run<double>(options, data, batch, packed);

    internal static Result<T> Run<T>(RunOptions options, SequenceSet data, SequenceBatch batch, bool packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = ModelFactory.Create<T>(options, data.ItemCount);
        var store = new ParameterStore<T>(model.Layout);
        model.Initialize(store.Values, new Rng(3));
        // Norm gains and biases off 1 and 0, so their gradients are checked in general position.
        var rng = new Rng(4);
        foreach (var s in model.Layout.Slots.Where(s => s.Rows == 1))
            for (var i = 0; i < s.Length; i++) store.Values[s.Offset + i] += T.CreateTruncating(0.3 * rng.NextGaussian());
        var graph = new Graph<T>(store);
        model.Attach(graph);
        var head = new LossHead<T>(options, graph, model.ItemEmbedding);
        graph.PackedHidden = packed;
        graph.Begin(training: true);
        graph.Rng.Reseed(11);
        var h = model.Forward(batch);
        var loss = head.Forward(h, batch, 1.0 / batch.TargetCount());
        graph.Tape.Backward();
        return new Result<T>(loss, (T[])graph.Grads.Clone(), h.Rows, graph.Rng.NextUInt64());
    }
}
