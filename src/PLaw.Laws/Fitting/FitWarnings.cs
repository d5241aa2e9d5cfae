using System.Globalization;

namespace PLaw.Laws.Fitting;

/// <summary>A fitted parameter the points do not support, in one plain sentence.</summary>
public sealed record FitWarning(string Parameter, string Text);

/// <summary>
/// Degenerate fits: an identified parameter pushed onto a bound (the optimiser wanted to go further than the law allows), or a
/// standard error larger than the estimate itself (the points do not fix it; e.g. E = 9.3e-12 ± 132, N₀ = 2.4e78 ± 1.2e82).
/// Parameters that are not identifiable are reported by <see cref="IdentifiabilityReport"/> instead. A fit with warnings must not
/// be used for prediction without showing them.
/// </summary>
public static class FitWarnings
{
    /// <summary>Within this of a bound (relative to max(1, |bound|)) counts as on it: the bound transform reaches it only as u → ±∞.</summary>
    public const double BoundTolerance = 1e-9;

    public static IReadOnlyList<FitWarning> Of(LawFit fit)
    {
        var warnings = new List<FitWarning>();
        for (var j = 0; j < fit.Values.Length; j++)
        {
            var spec = fit.Model.Parameters[j];
            var value = fit.Values[j];
            if (!fit.IsIdentifiable(spec.Name)) continue;
            if (!double.IsFinite(value))
            {
                warnings.Add(new FitWarning(spec.Name, $"{spec.Name} = {G(value)}: the fit did not produce a finite value."));
                continue;
            }
            if (double.IsFinite(spec.Lower) && value - spec.Lower <= BoundTolerance * Math.Max(1, Math.Abs(spec.Lower)))
                warnings.Add(new FitWarning(spec.Name, $"{spec.Name} = {G(value)} sits on its lower bound {G(spec.Lower)}: the points push it as far as the law allows."));
            else if (double.IsFinite(spec.Upper) && spec.Upper - value <= BoundTolerance * Math.Max(1, Math.Abs(spec.Upper)))
                warnings.Add(new FitWarning(spec.Name, $"{spec.Name} = {G(value)} sits on its upper bound {G(spec.Upper)}: the points push it as far as the law allows."));
            else if (fit.StandardErrors[j] is { } se && se > Math.Abs(value))
                warnings.Add(new FitWarning(spec.Name, $"{spec.Name} = {G(value)} ± {G(se)}: the standard error is larger than the value, so the points do not pin {spec.Name} down."));
        }
        return warnings;
    }

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
