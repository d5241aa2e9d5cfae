namespace PLaw.Laws;

/// <summary>The linear link between loss and a metric on one dataset: P ≈ a − b·L (P-Law, loss–metric relation).</summary>
public static class LossMetricLink
{
    public static double Metric(double loss, double a, double b) => a - b * loss;
}
