namespace PLaw.Web.Components.Charts;

/// <summary>Points to append to one named series of a live chart; <see cref="Times"/> (unix ms, when each was logged) lets the
/// browser record how late each point arrived (window.plawLatencies).</summary>
public sealed record ChartBatch(string Name, IReadOnlyList<double[]> Points, IReadOnlyList<long>? Times = null);
