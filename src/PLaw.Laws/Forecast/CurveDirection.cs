namespace PLaw.Laws.Forecast;

/// <summary>Which way a learning curve goes as training proceeds: a ranking metric rises, a loss falls.</summary>
public enum CurveDirection
{
    Rising,
    Falling,
}

public static class CurveDirections
{
    /// <summary>Losses fall; every ranking metric (HR@K, NDCG@K, MRR …) rises.</summary>
    public static CurveDirection Of(string seriesName) =>
        seriesName.Contains("loss", StringComparison.OrdinalIgnoreCase) ? CurveDirection.Falling : CurveDirection.Rising;
}
