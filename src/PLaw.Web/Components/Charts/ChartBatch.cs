namespace PLaw.Web.Components.Charts;

/// <summary>Points to append to one named series of a live chart.</summary>
public sealed record ChartBatch(string Name, IReadOnlyList<double[]> Points);
