namespace PLaw.Laws.Forecast;

/// <summary>Which way a learning curve goes as training proceeds: a ranking metric rises, a loss falls.</summary>
public enum CurveDirection
{
    Rising,
    Falling,
}
