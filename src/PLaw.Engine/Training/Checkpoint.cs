using System.Runtime.InteropServices;
using System.Text.Json;

namespace PLaw.Engine.Training;

/// <summary>
/// Everything needed to continue a run bit for bit: options, position (epoch, step within the epoch, global step),
/// the epoch's running loss, history, optimiser kind/steps/moments, the plateau tracker, weights, and the state of
/// the run's master random stream. Per-step streams (dropout, negatives, batch order) are derived from
/// (seed, epoch, step, worker), so they need no state of their own. Binary: a magic, a JSON header, raw arrays.
/// </summary>
public sealed class Checkpoint
{
    private const string Magic = "PLAWCKP1";
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public required string OptionsJson { get; init; }
    public required int Epoch { get; init; }            // epoch in progress (1-based)
    public required int StepInEpoch { get; init; }      // steps of that epoch already done
    public required long Step { get; init; }            // global steps done
    public required double EpochLossSum { get; init; }
    public required int EpochLossCount { get; init; }
    public required double EpochSeconds { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required string Optimizer { get; init; }
    public required long OptimizerSteps { get; init; }
    public required double BestValid { get; init; }
    public required int EvalsSinceBest { get; init; }
    public required ulong[] RngState { get; init; }
    public required List<EpochSummary> History { get; init; }
    public required float[] Weights { get; init; }
    public required float[] M { get; init; }
    public required float[] V { get; init; }

    private sealed record Header(string OptionsJson, int Epoch, int StepInEpoch, long Step, double EpochLossSum, int EpochLossCount,
        double EpochSeconds, double ElapsedSeconds, string Optimizer, long OptimizerSteps, double BestValid, int EvalsSinceBest,
        ulong[] RngState, List<EpochSummary> History, int Parameters);

    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Magic);
            w.Write(JsonSerializer.Serialize(new Header(OptionsJson, Epoch, StepInEpoch, Step, EpochLossSum, EpochLossCount, EpochSeconds,
                ElapsedSeconds, Optimizer, OptimizerSteps, BestValid, EvalsSinceBest, RngState, History, Weights.Length), Json));
            foreach (var a in new[] { Weights, M, V }) w.Write(MemoryMarshal.AsBytes(a.AsSpan()));
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static Checkpoint Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream);
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path} is not a PLaw checkpoint.");
        var h = JsonSerializer.Deserialize<Header>(r.ReadString(), Json) ?? throw new InvalidDataException($"{path}: empty header.");
        float[] Read()
        {
            var a = new float[h.Parameters];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(a.AsSpan()));
            return a;
        }
        return new Checkpoint
        {
            OptionsJson = h.OptionsJson, Epoch = h.Epoch, StepInEpoch = h.StepInEpoch, Step = h.Step, EpochLossSum = h.EpochLossSum,
            EpochLossCount = h.EpochLossCount, EpochSeconds = h.EpochSeconds, ElapsedSeconds = h.ElapsedSeconds, Optimizer = h.Optimizer,
            OptimizerSteps = h.OptimizerSteps, BestValid = h.BestValid, EvalsSinceBest = h.EvalsSinceBest, RngState = h.RngState,
            History = h.History, Weights = Read(), M = Read(), V = Read(),
        };
    }
}
