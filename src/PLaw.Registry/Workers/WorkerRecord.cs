using System.Reflection;
using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Workers;

/// <summary>
/// A worker process that trains queued runs (the dashboard's background worker or a <c>plaw worker</c>): where it runs, what it
/// trains on, and its own heartbeat and lease, renewed while it lives whether it holds runs or not. Its runs are the running
/// runs whose <see cref="Runs.RunRecord.WorkerId"/> is its <see cref="Id"/>.
/// </summary>
public sealed class WorkerRecord
{
    /// <summary>The worker's id in the runs it holds (<see cref="Runs.RunHolder.WorkerId"/>): "machine/pid/8 hex digits".</summary>
    public required string Id { get; set; }
    /// <summary>The machine's name.</summary>
    public required string Host { get; set; }
    public int ProcessId { get; set; }
    /// <summary>The program hosting the worker: "plaw" (<c>plaw worker</c>) or "PLaw.Web" (the dashboard).</summary>
    public required string Program { get; set; }
    /// <summary>Its training devices (PLaw:Devices, <c>--devices</c>), comma-separated; empty when its slots have no device of their own.</summary>
    public string Devices { get; set; } = "";
    /// <summary>How many runs it trains at once.</summary>
    public int Slots { get; set; }
    /// <summary>The training backends installed in its process, comma-separated ("native,torch").</summary>
    public string Backends { get; set; } = "";
    public DateTime StartedUtc { get; set; }
    public DateTime HeartbeatUtc { get; set; }
    /// <summary>When the worker counts as lost without another heartbeat: heartbeat + its lease (as a run's lease).</summary>
    public DateTime LeaseExpiresUtc { get; set; }
    /// <summary>When it stopped gracefully (SIGTERM, Ctrl+C, the dashboard shutting down); null while it runs or once it is lost.</summary>
    public DateTime? StoppedUtc { get; set; }

    /// <summary>The record of <paramref name="holder"/>, a worker of this process training on <paramref name="devices"/> (may be
    /// empty) in <paramref name="slots"/> slots, with the backends installed here.</summary>
    public static WorkerRecord ForThisProcess(RunHolder holder, IReadOnlyList<string> devices, int slots) => new()
    {
        Id = holder.WorkerId,
        Host = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        Program = Assembly.GetEntryAssembly()?.GetName().Name ?? "unknown",
        Devices = string.Join(",", devices),
        Slots = slots,
        Backends = string.Join(",", new[] { TrainingBackends.Native, TrainingBackends.Torch }.Where(TrainingBackends.IsInstalled)),
    };
}
