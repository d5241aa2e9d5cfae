namespace PLaw.Registry.Runs;

/// <summary>One logged value of a run (see <see cref="MetricPointRecord"/> for the key).</summary>
public readonly record struct MetricPoint(string Split, string Name, long Step, int Epoch, double Value, long TimeUnixMs);

/// <summary>Split names the trainer's events are stored under.</summary>
public static class MetricSplits
{
    public const string Train = "train";
    public const string Valid = "valid";
    public const string Test = "test";
}
