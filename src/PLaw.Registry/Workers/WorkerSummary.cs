using System.Text.Json.Serialization;

namespace PLaw.Registry.Workers;

/// <summary>A run a worker trains now, as the Workers page and <c>plaw workers</c> show it.</summary>
public sealed record WorkerRun(int Id, string Name, int EpochsDone, int Epochs, long StepsDone, string? Device);

/// <summary>A worker as the Workers page and <c>plaw workers</c> show it: its record, its state at <see cref="AsOfUtc"/>, and the
/// runs it holds.</summary>
public sealed record WorkerSummary(
    string Id, string Host, int ProcessId, string Program, string Devices, int Slots, string Backends, WorkerState State,
    DateTime StartedUtc, DateTime HeartbeatUtc, DateTime LeaseExpiresUtc, DateTime? StoppedUtc, DateTime AsOfUtc,
    IReadOnlyList<WorkerRun> Runs)
{
    /// <summary>How long ago its last heartbeat was, at <see cref="AsOfUtc"/> (never negative: another host's clock may run ahead).</summary>
    [JsonIgnore]
    public TimeSpan HeartbeatAge => AsOfUtc > HeartbeatUtc ? AsOfUtc - HeartbeatUtc : TimeSpan.Zero;

    /// <summary>What hosts the worker: "dashboard", "plaw worker", or the program's name.</summary>
    public string Kind => Program switch
    {
        "PLaw.Web" => "dashboard",
        "plaw" => "plaw worker",
        _ => Program,
    };

    public double HeartbeatAgeSeconds => Math.Round(HeartbeatAge.TotalSeconds, 1);

    /// <summary>The devices, or how many slots it has when they have no device of their own.</summary>
    [JsonIgnore]
    public string DevicesText => Devices.Length > 0 ? Devices.Replace(",", ", ", StringComparison.Ordinal) : $"{Slots} slot{(Slots == 1 ? "" : "s")} (each run's own device)";

    /// <summary>A duration as pages and the CLI show a heartbeat's age: "4 s", "3 min", "2 h", "5 d".</summary>
    public static string Short(TimeSpan age) => age.TotalSeconds < 90 ? $"{(int)age.TotalSeconds} s"
        : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes} min"
        : age.TotalHours < 36 ? $"{(int)age.TotalHours} h"
        : $"{(int)age.TotalDays} d";

    public static WorkerSummary Of(WorkerRecord w, DateTime asOf, IReadOnlyList<WorkerRun> runs) => new(
        w.Id, w.Host, w.ProcessId, w.Program, w.Devices, w.Slots, w.Backends, WorkerStates.Of(w, asOf),
        Utc(w.StartedUtc), Utc(w.HeartbeatUtc), Utc(w.LeaseExpiresUtc), w.StoppedUtc is { } s ? Utc(s) : null, asOf, runs);

    // SQLite gives the stored UTC times back unspecified; PostgreSQL as UTC.
    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
