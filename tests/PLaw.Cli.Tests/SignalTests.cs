using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PLaw.Engine.Training;

namespace PLaw.Cli.Tests;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM on a real <c>plaw</c> process in the middle of an epoch: the run checkpoints, is left the way
/// the dashboard's shutdown leaves it ("running", re-queued by the next start), the process exits 130 / 143, and a restart
/// resumes from the checkpoint rather than redoing the epoch.
/// </summary>
public sealed partial class SignalTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// 3,000 users × 24 items over 300 items; with batches of 4, an epoch is 750 small steps. Long epochs make a signal that
    /// lands in the epoch-end work (which checkpoints a whole epoch) unlikely even on a loaded machine: with 150 steps, CI once
    /// caught it there.
    /// </summary>
    private static string WriteInteractions(string folder)
    {
        var file = Path.Combine(folder, "many.txt");
        var lines = new StringBuilder();
        for (var user = 1; user <= 3000; user++)
        for (var t = 0; t < 24; t++)
            lines.Append(user).Append(' ').Append(1 + (user * 7 + t * (1 + user % 3)) % 300).Append('\n');
        File.WriteAllText(file, lines.ToString());
        return file;
    }

    // Many epochs: the run is interrupted long before it could finish.
    private static readonly string[] Slow = ["--layers", "1", "--dim", "16", "--max-len", "20", "--batch", "4", "--threads", "1",
        "--epochs", "500", "--eval-every", "500"];

    private static async Task<JsonElement> RunAsync(string data)
    {
        var runs = await Plaw.RunAsync("runs", "--data-dir", data, "--json");
        Assert.True(runs.ExitCode == 0, runs.Error);
        return JsonDocument.Parse(runs.Out).RootElement.EnumerateArray().Single().Clone();
    }

    [Fact]
    public async Task CtrlCOnTheWorkerCheckpointsThePartialEpochAndARestartResumesFromIt()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-sigint-").FullName;
        var data = Path.Combine(folder, "data");
        var import = await Plaw.RunAsync("import", WriteInteractions(folder), "--format", "sasrec", "--name", "many", "--data-dir", data, "--no-entropy");
        Assert.True(import.ExitCode == 0, import.Error);
        var queued = await Plaw.RunAsync(["queue", "--dataset", "many", .. Slow, "--data-dir", data]);
        Assert.True(queued.ExitCode == 0, queued.Error);
        var checkpoint = Path.Combine(data, "runs", "run-1", "checkpoint.bin");

        long stepsSeen;
        await using (var worker = new PlawProcess("worker", "--data-dir", data))
        {
            long steps = 0;
            await worker.WaitUntilAsync(async () => (steps = (await RunAsync(data)).GetProperty("stepsDone").GetInt64()) > 0, "training steps");
            stepsSeen = steps;
            await worker.SignalAsync("INT");
            Assert.Equal(130, await worker.ExitCodeAsync(ExitTimeout));
            Assert.Contains("interrupted by shutdown; resumes at the next start", worker.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", worker.Error, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(checkpoint), "no checkpoint after Ctrl+C");
        var saved = Checkpoint.Load(checkpoint);
        Assert.True(saved.Step >= stepsSeen, $"checkpoint at step {saved.Step}, {stepsSeen} steps were reported before the signal");
        // Epoch ends checkpoint with no step of the next epoch done; this one was written by the signal, mid-epoch.
        Assert.True(saved.StepInEpoch > 0, "the checkpoint is not of a partial epoch");
        var run = await RunAsync(data);
        Assert.Equal("running", run.GetProperty("status").GetString()); // as the dashboard's SIGTERM leaves it, for recovery

        // The restart re-queues the run and resumes it from that step; SIGTERM then stops it the same way.
        await using (var again = new PlawProcess("worker", "--data-dir", data))
        {
            await again.WaitUntilAsync(() => again.Error.Contains("Resumed from", StringComparison.Ordinal), "the resume");
            Assert.Contains("re-queued to resume from its checkpoint", again.Error, StringComparison.Ordinal);
            var resumed = ResumedAt().Match(again.Error);
            Assert.True(resumed.Success, again.Error);
            Assert.Equal(saved.Step, long.Parse(resumed.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(saved.Epoch, int.Parse(resumed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            await again.SignalAsync("TERM");
            Assert.Equal(143, await again.ExitCodeAsync(ExitTimeout));
        }
        Assert.True(Checkpoint.Load(checkpoint).Step >= saved.Step);
    }

    [Fact]
    public async Task SigtermOnTrainCheckpointsAndResumeContinues()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-sigterm-").FullName;
        var file = WriteInteractions(folder);
        var checkpoint = Path.Combine(folder, "run.ckpt");
        string[] args = ["train", "--data", file, "--format", "sasrec", .. Slow, "--checkpoint", checkpoint];
        long step;
        await using (var train = new PlawProcess(args))
        {
            await train.WaitUntilAsync(() => train.Out.Contains("epoch    1", StringComparison.Ordinal), "the first epoch");
            await train.SignalAsync("TERM");
            Assert.Equal(143, await train.ExitCodeAsync(ExitTimeout));
            Assert.DoesNotContain("   at ", train.Error, StringComparison.Ordinal);
            step = Checkpoint.Load(checkpoint).Step;
            Assert.Contains($"checkpoint (epoch ", train.Out, StringComparison.Ordinal);
        }
        await using (var resume = new PlawProcess([.. args, "--resume"]))
        {
            await resume.WaitUntilAsync(() => resume.Out.Contains("Resumed from", StringComparison.Ordinal), "the resume");
            Assert.Contains($"step {step}.", resume.Out, StringComparison.Ordinal);
            await resume.SignalAsync("INT");
            Assert.Equal(130, await resume.ExitCodeAsync(ExitTimeout));
        }
    }

    [GeneratedRegex(@"Resumed from \S+ at epoch (\d+), step (\d+)\.")]
    private static partial Regex ResumedAt();
}
