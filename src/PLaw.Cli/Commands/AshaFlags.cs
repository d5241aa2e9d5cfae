using System.CommandLine;
using System.Globalization;
using PLaw.Engine.Training;
using PLaw.Laws.EarlyStopping;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw study … --asha [--asha-metric M] [--asha-rungs 2,4,8 | --asha-min-epoch R] [--asha-eta 3] [--asha-signal current|forecast]</c>:
/// the study's runs are stopped early at the rungs by the ASHA rule (<see cref="AshaRule"/>).
/// </summary>
internal sealed class AshaFlags
{
    public readonly Option<bool> Enabled = new("--asha")
    {
        Description = "Early stopping (ASHA, Li et al. 2020): at each rung a run goes on only if it is in the top 1/η of the study's runs that reached the rung so far.",
    };
    public readonly Option<string> Metric = new("--asha-metric")
    {
        Description = $"Validation metric the rungs compare: {string.Join(", ", AshaSettings.Metrics)}.", DefaultValueFactory = _ => "NDCG@10",
    };
    public readonly Option<string?> Rungs = new("--asha-rungs") { Description = "Rung epochs, increasing and before the last epoch, e.g. 2,4,8 [default: --asha-min-epoch × η^k]." };
    public readonly Option<int?> MinEpoch = new("--asha-min-epoch") { Description = "First rung epoch; the others follow at × η until the last epoch [default: --eval-every]." };
    public readonly Option<double> Eta = new("--asha-eta") { Description = "Reduction factor η > 1: about 1/η of the runs reaching a rung go on.", DefaultValueFactory = _ => AshaSettings.DefaultEta };
    public readonly Option<string> Signal = new("--asha-signal")
    {
        Description = "current (the metric at the rung) | forecast (its learning-curve forecast at the last epoch; needs 4 evaluations by the first rung)",
        DefaultValueFactory = _ => "current",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Enabled, Metric, Rungs, MinEpoch, Eta, Signal }) command.Options.Add(option);
    }

    /// <summary>The settings, null without --asha; an <see cref="ArgumentException"/> naming the flag for anything wrong.</summary>
    public AshaSettings? Bind(ParseResult result, RunOptions runs)
    {
        var given = new Option[] { Metric, Rungs, MinEpoch, Eta, Signal }.Where(o => result.GetResult(o) is { Implicit: false }).ToList();
        if (!result.GetValue(Enabled))
        {
            if (given.Count > 0) throw new ArgumentException($"{given[0].Name}: early-stopping settings need --asha.");
            return null;
        }
        var eta = result.GetValue(Eta);
        if (!(eta > 1) || !double.IsFinite(eta))
            throw new ArgumentException($"--asha-eta: η must be a number greater than 1 (got {eta.ToString(CultureInfo.InvariantCulture)}).");
        var signal = result.GetValue(Signal)!.Trim().ToLowerInvariant() switch
        {
            "current" => AshaSignal.Current,
            "forecast" => AshaSignal.Forecast,
            var other => throw new ArgumentException($"--asha-signal: '{other}' is not current or forecast."),
        };
        var metric = AshaSettings.Metrics.FirstOrDefault(m => string.Equals(m, result.GetValue(Metric)?.Trim(), StringComparison.OrdinalIgnoreCase))
                     ?? throw new ArgumentException($"--asha-metric: '{result.GetValue(Metric)}' is not one of {string.Join(", ", AshaSettings.Metrics)}.");
        var rungText = result.GetValue(Rungs);
        if (rungText is not null && result.GetValue(MinEpoch) is not null)
            throw new ArgumentException("--asha-rungs: give the rungs or --asha-min-epoch, not both.");
        int[] rungs;
        if (rungText is not null)
        {
            rungs = ParseRungs(rungText);
        }
        else
        {
            var first = result.GetValue(MinEpoch) ?? Math.Max(1, runs.EvalEvery);
            if (first < 1 || first >= runs.Epochs)
                throw new ArgumentException($"--asha-min-epoch: the first rung must be from 1 to {runs.Epochs - 1}, before the last epoch (got {first}).");
            rungs = AshaSettings.GeometricRungs(first, eta, runs.Epochs);
        }
        var settings = new AshaSettings { Metric = metric, Rungs = rungs, Eta = eta, Signal = signal };
        var problems = settings.Problems(runs.Epochs, runs.EvalEvery);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(" ", problems.Select(p => $"--asha-{(p.Field == "rungs" && rungText is null ? "min-epoch" : p.Field)}: {p.Problem}")));
        return settings;
    }

    /// <summary>"2,4,8" as written: order and repeats are kept for the checks to name them.</summary>
    internal static int[] ParseRungs(string text)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException("--asha-rungs: expected epochs such as 2,4,8.");
        return parts.Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) && epoch >= 1
            ? epoch
            : throw new ArgumentException($"--asha-rungs: '{part}' is not a positive whole number of epochs.")).ToArray();
    }
}
