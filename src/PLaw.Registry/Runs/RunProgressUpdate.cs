namespace PLaw.Registry.Runs;

/// <summary>
/// What one flush of a training run's writer stores (<see cref="RunProgressWriter"/>): its new metric points, its new
/// event-log lines and the run's latest progress. Reused flush after flush: <see cref="Clear"/> keeps the lists' storage.
/// </summary>
public sealed class RunProgressUpdate
{
    public List<MetricPoint> Points { get; } = new(1024);

    public List<(DateTime TimeUtc, string Text)> Lines { get; } = [];

    public int? Epoch { get; set; }
    public long? Step { get; set; }
    /// <summary>The last step's loss; set (possibly to a value that is not a number, stored as null) with <see cref="Step"/>.</summary>
    public double? Loss { get; set; }
    public IReadOnlyDictionary<string, double>? TestMetrics { get; set; }
    public (string Backend, string Device, string Compute)? Session { get; set; }

    /// <summary>True when the run's row has something new to show (steps, epochs, test metrics, what trains it).</summary>
    public bool ChangesRun => Step is not null || Epoch is not null || TestMetrics is not null || Session is not null;

    public bool IsEmpty => Points.Count == 0 && Lines.Count == 0 && !ChangesRun;

    public void Clear()
    {
        Points.Clear();
        Lines.Clear();
        Epoch = null;
        Step = null;
        Loss = null;
        TestMetrics = null;
        Session = null;
    }
}
