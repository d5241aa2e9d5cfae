using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Table lookup y[r] (+)= s·E[id_r] for ids[R]. With <c>into</c> it adds into an existing output (SASRec adds the
/// position rows onto the scaled item rows). Negative ids contribute nothing. Row 0 is padding (padding_idx = 0)
/// when <paramref name="zeroIsPadding"/>: it is still looked up (P-Law's pads read a non-zero E[0]) but gets no gradient.
/// Backward: dE[id_r] += s·dy[r], scatter-add into the touched rows only.
/// </summary>
public sealed class Embedding<T>(Graph<T> graph, ParameterSlot table, bool zeroIsPadding = true) : IOp
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int[] _ids = [];
    private int _offset;
    private T _scale;
    private Var<T> _y;

    public Var<T> Forward(int[] ids, int offset, int rows, double scale, Var<T>? into = null)
    {
        // ids[offset..offset+rows) → y: [rows, C]
        (_ids, _offset, _scale) = (ids, offset, T.CreateTruncating(scale));
        var e = graph.Param(table);
        _y = into ?? graph.Zeros(rows, table.Cols);
        for (var r = 0; r < rows; r++)
        {
            var id = ids[offset + r];
            if (id >= 0) TensorPrimitives.MultiplyAdd(e.Row(id), _scale, _y.Row(r), _y.Row(r));
        }
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var e = graph.Param(table);
        for (var r = 0; r < _y.Rows; r++)
        {
            var id = _ids[_offset + r];
            if (id > 0 || (id == 0 && !zeroIsPadding)) TensorPrimitives.MultiplyAdd(_y.GradRow(r), _scale, e.GradRow(id), e.GradRow(id));
        }
    }
}
