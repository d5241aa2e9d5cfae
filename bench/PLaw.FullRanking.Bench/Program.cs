// Full-ranking evaluation of every Games user (issue #14: before/after).
//   dotnet bench/PLaw.FullRanking.Bench/bin/Release/net10.0/PLaw.FullRanking.Bench.dll <games.txt> <repeats> <label>
// One process: SASRec `original` with the Games recipe (width 50, 2 blocks, length 50, batch 128, 2 threads) trained for one
// epoch, so the scores are a trained model's, then <repeats> times the validation and the test split, every scored user
// against every item (history masked). Prints one tab-separated row per evaluation: label, repeat, split, wall seconds,
// process CPU seconds, users, NDCG@10, HR@10, loss. Compiles against this checkout and against earlier ones (run.sh).
using System.Diagnostics;
using PLaw.Data.Import;
using PLaw.Engine.Training;

if (args.Length < 3 || !File.Exists(args[0]) || !int.TryParse(args[1], out var repeats) || repeats < 1)
{
    Console.Error.WriteLine("usage: PLaw.FullRanking.Bench <games.txt> <repeats ≥ 1> <label>");
    return 2;
}
var label = args[2];
var sequences = DatasetImporter.Import(args[0], new ImportOptions(InteractionFormat.Sasrec)).Sequences;
var options = new RunOptions { Variant = Variants.Original, Threads = 2, BatchSize = 128, Epochs = 1, Eval = EvalProtocol.Full, EvalUsers = 0 };
using var session = new TrainingSession(options, sequences);
while (!session.Progress.EpochDone) session.TrainStep();
session.Evaluate(test: false);   // warm-up (JIT, buffers)
var process = Process.GetCurrentProcess();
Console.WriteLine("label\trepeat\tsplit\twall_s\tcpu_s\tusers\tNDCG@10\tHR@10\tloss");
for (var r = 1; r <= repeats; r++)
    foreach (var test in new[] { false, true })
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var m = session.Evaluate(test);
        clock.Stop();
        process.Refresh();
        FormattableString row = $"{label}\t{r}\t{(test ? "test" : "valid")}\t{clock.Elapsed.TotalSeconds:F3}\t{(process.TotalProcessorTime - cpu).TotalSeconds:F3}\t{m["users"]:F0}\t{m["NDCG@10"]:F4}\t{m["HR@10"]:F4}\t{m["loss"]:F4}";
        Console.WriteLine(row.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
return 0;
