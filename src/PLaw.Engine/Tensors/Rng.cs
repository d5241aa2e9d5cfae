namespace PLaw.Engine.Tensors;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. A class with four words of state, so it can be
/// saved and restored exactly. <see cref="For"/> derives independent streams from (seed, purpose, counters): the
/// trainer draws each step's dropout masks and negatives from a stream named by (epoch, step, worker), which makes
/// runs deterministic for a seed and a thread count and lets a resumed run reproduce them.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed) => Reseed(seed);

    public static ulong Mix(ulong seed, ulong a, ulong b = 0, ulong c = 0)
    {
        var x = seed;
        x = SplitMix(ref x) ^ a;
        x = SplitMix(ref x) ^ b;
        x = SplitMix(ref x) ^ c;
        return SplitMix(ref x);
    }

    public static Rng For(ulong seed, ulong a, ulong b = 0, ulong c = 0) => new(Mix(seed, a, b, c));

    public void Reseed(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong[] State => [_s0, _s1, _s2, _s3];

    public void Restore(ReadOnlySpan<ulong> state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2⁻³² for the n used here).</summary>
    public int NextInt(int n) => (int)((NextUInt64() >> 32) * (ulong)(uint)n >> 32);

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Standard normal (Box–Muller, one of the pair).</summary>
    public double NextGaussian()
    {
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * NextDouble());
    }
}
