namespace PLaw.Laws.Fitting;

/// <summary>
/// Maps a bounded parameter p to a free variable u the optimiser moves without constraints:
/// free: p = u; lower only: p = lo + e^u; upper only: p = hi − e^u; both: p = lo + (hi − lo)/(1 + e^(−u)).
/// </summary>
internal static class BoundTransform
{
    public static double ToFree(ParameterSpec s, double p)
    {
        bool hasLower = double.IsFinite(s.Lower), hasUpper = double.IsFinite(s.Upper);
        if (!hasLower && !hasUpper) return p;
        if (hasLower && !hasUpper) return Math.Log(Math.Max(p - s.Lower, 1e-300));
        if (!hasLower) return Math.Log(Math.Max(s.Upper - p, 1e-300));
        var t = Math.Clamp((p - s.Lower) / (s.Upper - s.Lower), 1e-12, 1 - 1e-12);
        return Math.Log(t / (1 - t));
    }

    public static double FromFree(ParameterSpec s, double u)
    {
        bool hasLower = double.IsFinite(s.Lower), hasUpper = double.IsFinite(s.Upper);
        if (!hasLower && !hasUpper) return u;
        if (hasLower && !hasUpper) return s.Lower + Math.Exp(u);
        if (!hasLower) return s.Upper - Math.Exp(u);
        return s.Lower + (s.Upper - s.Lower) / (1 + Math.Exp(-u));
    }

    /// <summary>dp/du at u.</summary>
    public static double Derivative(ParameterSpec s, double u)
    {
        bool hasLower = double.IsFinite(s.Lower), hasUpper = double.IsFinite(s.Upper);
        if (!hasLower && !hasUpper) return 1;
        if (hasLower && !hasUpper) return Math.Exp(u);
        if (!hasLower) return -Math.Exp(u);
        var sigma = 1 / (1 + Math.Exp(-u));
        return (s.Upper - s.Lower) * sigma * (1 - sigma);
    }

    public static bool Inside(ParameterSpec s, double p) => double.IsFinite(p) && p > s.Lower && p < s.Upper;
}
