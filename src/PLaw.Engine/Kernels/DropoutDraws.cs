using System.Numerics;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// The entries that <see cref="Dropout{T}.Fill"/> would draw for a mask of <c>total</c> elements, taken at any
/// increasing element positions: the draws of the positions skipped are taken and discarded, and <see cref="Finish"/>
/// leaves the stream where Fill leaves it. A packed batch thereby gets, at each real position, exactly the mask entry
/// that the padded batch gets there, and later ops see the same stream (packing changes no result).
/// Fill's draw order: element e &lt; total &amp; ~3 is lane e mod 4 (16 bits each) of draw ⌊e/4⌋; each of the last
/// total mod 4 elements takes a draw of its own (its top 16 bits).
/// </summary>
public struct DropoutDraws<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Rng _rng;
    private readonly long _quads, _draws;
    private readonly uint _threshold;
    private readonly T _keep;
    private long _next, _loaded;
    private ulong _bits;

    public DropoutDraws(Rng rng, double p, long total)
    {
        _rng = rng;
        _quads = total & ~3L;
        _draws = (_quads >> 2) + (total - _quads);
        _threshold = (uint)Math.Round(p * 65536);
        _keep = T.CreateTruncating(1 / (1 - p));
        _loaded = -1;
    }

    /// <summary>Mask entries of elements [element, element + dst.Length), which must not precede an element already taken.</summary>
    public void Fill(long element, Span<T> dst)
    {
        for (var i = 0; i < dst.Length; i++)
        {
            var e = element + i;
            if ((e & 3) == 0 && e + 4 <= _quads && i + 4 <= dst.Length)
            {
                Load(e >> 2);
                dst[i] = Entry((uint)_bits & 0xFFFF);
                dst[i + 1] = Entry((uint)(_bits >> 16) & 0xFFFF);
                dst[i + 2] = Entry((uint)(_bits >> 32) & 0xFFFF);
                dst[i + 3] = Entry((uint)(_bits >> 48));
                i += 3;
                continue;
            }
            if (e < _quads)
            {
                Load(e >> 2);
                dst[i] = Entry((uint)(_bits >> (int)(16 * (e & 3))) & 0xFFFF);
            }
            else
            {
                Load((_quads >> 2) + (e - _quads));
                dst[i] = Entry((uint)(_bits >> 48));
            }
        }
    }

    /// <summary>Takes the draws left, so the stream ends where a full <see cref="Dropout{T}.Fill"/> ends.</summary>
    public void Finish() => Skip(_draws - _next);

    private readonly T Entry(uint u) => u < _threshold ? T.Zero : _keep;

    private void Load(long draw)
    {
        if (draw == _loaded) return;
        if (draw < _next) throw new InvalidOperationException("Dropout draws must be taken in increasing element order.");
        Skip(draw - _next);
        _bits = _rng.NextUInt64();
        _loaded = draw;
        _next = draw + 1;
    }

    private void Skip(long draws)
    {
        for (var k = 0L; k < draws; k++) _rng.NextUInt64();
        _next += Math.Max(draws, 0);
    }
}
