using System.Numerics;
using System.Runtime.InteropServices;

namespace PLaw.Engine.Tensors;

/// <summary>bfloat16 emulation: round a float to the nearest bfloat16 (ties to even), kept in a float.</summary>
public static class Bf16
{
    public static float Round(float x)
    {
        var bits = BitConverter.SingleToUInt32Bits(x);
        if ((bits & 0x7F800000) == 0x7F800000) return x; // NaN and ±∞ unchanged
        // Add 0x7FFF plus the lowest kept bit, then drop the low 16 bits: round to nearest, ties to even.
        bits += 0x7FFFu + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
    }

    /// <summary>Rounds every element in place; a no-op for double (gradient checks never run in bf16).</summary>
    public static void RoundInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return;
        var f = MemoryMarshal.Cast<T, uint>(values);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<uint, Vector<uint>>(f);
            var bias = new Vector<uint>(0x7FFFu);
            var one = Vector<uint>.One;
            var mask = new Vector<uint>(0xFFFF0000u);
            var exp = new Vector<uint>(0x7F800000u);
            for (var k = 0; k < vs.Length; k++)
            {
                var b = vs[k];
                var rounded = (b + bias + ((b >> 16) & one)) & mask;
                var special = Vector.Equals(b & exp, exp);
                vs[k] = Vector.ConditionalSelect(special, b, rounded);
            }
            i = vs.Length * Vector<uint>.Count;
        }
        for (; i < f.Length; i++)
            f[i] = BitConverter.SingleToUInt32Bits(Round(BitConverter.UInt32BitsToSingle(f[i])));
    }
}
