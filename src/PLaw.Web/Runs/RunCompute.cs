using System.Text.Json;
using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Web.Runs;

/// <summary>
/// What trained a run, as the Run page and Compare say it: the backend and device the trainer reported (with its compute
/// line) once training started, what the run's options ask for before that, and an honest word for runs from before the
/// registry recorded it.
/// </summary>
/// <param name="Backend">The backend that trained (or, not started, is asked for); "native" for runs from before backends.</param>
/// <param name="Device">Its device, likewise.</param>
/// <param name="Recorded">True when the trainer reported these (the run record holds them).</param>
/// <param name="Text">One line, e.g. "torch on cpu · libtorch 2.10.0.0; 2 thread(s); float32".</param>
/// <param name="Line">The trainer's compute line alone when it reported one ("libtorch 2.10.0.0; 2 thread(s); float32").</param>
public sealed record RunCompute(string Backend, string Device, bool Recorded, string Text, string? Line = null)
{
    /// <summary>The short form for a table cell: "torch on cpu".</summary>
    public string Short => $"{Backend} on {Device}";

    public static RunCompute Of(RunRecord run, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        var asked = $"{options.Backend} on {options.Device}";
        if (run.Backend is { } backend && run.Status != RunStatus.Queued)
        {
            var device = run.Device ?? "?";
            var line = run.Compute is { Length: > 0 } compute ? compute : null;
            return new(backend, device, true, line is null ? $"{backend} on {device}" : $"{backend} on {device} · {line}", line);
        }
        if (run.Status == RunStatus.Queued)
        {
            // Re-queued: it trained before, and may resolve differently this time (auto), so both are said.
            var before = run.Backend is { } last ? $"; its last attempt ran on {last} on {run.Device ?? "?"}" : "";
            return new(options.Backend, options.Device, false, $"asks for {asked}{before}");
        }
        if (run.StartedUtc is null)
            return new(options.Backend, options.Device, false, $"asked for {asked}; never started");
        if (run.Status == RunStatus.Running)
            return new(options.Backend, options.Device, false, $"starting: asked for {asked}");
        // Options stored before the Backend option existed have no "backend" key: those runs trained on the native engine, on CPU.
        if (!HasBackendOption(run.OptionsJson))
            return new(TrainingBackends.Native, DeviceNames.Cpu, false, "native on cpu (trained before the registry recorded backends)");
        return new(options.Backend, options.Device, false, $"asked for {asked}; it stopped before its trainer reported a backend");
    }

    private static bool HasBackendOption(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
               && document.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, "backend", StringComparison.OrdinalIgnoreCase));
    }
}
