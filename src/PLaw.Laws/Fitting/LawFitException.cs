namespace PLaw.Laws.Fitting;

/// <summary>Why a fit was refused or failed.</summary>
public enum FitFailure
{
    /// <summary>Fewer observations than parameters.</summary>
    TooFewPoints,
    /// <summary>A value or input is NaN or infinite (often a failed run).</summary>
    NonFiniteValue,
    /// <summary>An input outside the law's domain (e.g. zero layers).</summary>
    InvalidInput,
    /// <summary>All values are equal: nothing to fit, R² undefined.</summary>
    ConstantValues,
    /// <summary>No start reached a finite sum of squares.</summary>
    NoConvergence,
}

/// <summary>A fit that cannot give a meaningful answer, with the reason; never a silent garbage fit.</summary>
public sealed class LawFitException(FitFailure reason, string message) : InvalidOperationException(message)
{
    public FitFailure Reason { get; } = reason;
}
