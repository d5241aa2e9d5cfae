using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Engine.Training;
using PLaw.Registry.Accounts;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw study --name N --dataset D --models … --layers-grid … --dims … [--ablations …] [--asha …]</c>: a grid of runs, queued together, optionally
/// trained under early stopping (ASHA, <see cref="AshaFlags"/>).
/// </summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Study name (unique).", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Dataset id or name in the registry.", Required = true };
        var models = new Option<string?>("--models") { Description = "Grid: model families, e.g. sasrec,hstu,llama." };
        var layers = new Option<string?>("--layers-grid") { Description = "Grid: layers, e.g. 1,2,4,8." };
        var dims = new Option<string?>("--dims") { Description = "Grid: widths, e.g. 16,32,64." };
        var lengths = new Option<string?>("--max-lens") { Description = "Grid: max lengths, e.g. 50,100." };
        var precisions = new Option<string?>("--precisions") { Description = "Grid: fp32,bf16." };
        var seeds = new Option<string?>("--seeds") { Description = "Grid: seeds, e.g. 1,2,3." };
        var ablations = new Option<string?>("--ablations")
        {
            Description = "Grid: HSTU ablation sets, e.g. none,rab,silu,gate,rab+gate (rab: no relative attention bias, silu: softmax " +
                          "attention, gate: no U gate; + joins several). HSTU runs only; other families run unablated.",
        };
        var tags = new Option<string?>("--tags") { Description = "Comma-separated tags for the study and its runs." };
        var asha = new AshaFlags();
        var flags = new RunOptionFlags();
        var command = new Command("study", "Create a study: every combination of the grid lists, queued as runs (other run options shared).")
        {
            name, dataset, models, layers, dims, lengths, precisions, seeds, ablations, tags, CommonOptions.Json,
        };
        flags.AddTo(command);
        asha.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var baseOptions = flags.Bind(result);
            var grid = new StudyGrid
            {
                Base = baseOptions,
                Models = GridLists.Enums<ModelFamily>(result.GetValue(models), "--models"),
                Layers = GridLists.Ints(result.GetValue(layers), "--layers-grid"),
                Dims = GridLists.Ints(result.GetValue(dims), "--dims"),
                MaxLengths = GridLists.Ints(result.GetValue(lengths), "--max-lens"),
                Precisions = GridLists.Enums<Precision>(result.GetValue(precisions), "--precisions"),
                Seeds = GridLists.Ints(result.GetValue(seeds), "--seeds"),
                Ablations = GridLists.Ablations(result.GetValue(ablations), "--ablations"),
                Asha = asha.Bind(result, baseOptions),
            };
            // Each run of the grid, checked here so that each problem is led by its flag (the registry checks again).
            var gridProblems = grid.Expand()
                .SelectMany(o => o.Problems().Select(p => $"{o.DisplayName}: {RunOptionFlags.Explain(p)}")).ToList();
            if (gridProblems.Count > 0) throw new ArgumentException(string.Join(" ", gridProblems));
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var data = await DatasetReference.ResolveAsync(services, result.GetValue(dataset)!, ct);
            StudyRecord study;
            IReadOnlyList<RunRecord> runs;
            try
            {
                (study, runs) = await services.GetRequiredService<RunCatalog>()
                    .CreateStudyAsync(result.GetValue(name)!, data.Id, grid, result.GetValue(tags) ?? "", ct: ct);
            }
            catch (RunOptionsException e)
            {
                throw new ArgumentException(RunOptionFlags.Explain(e.Problems));
            }
            await CliRegistry.AuditAsync(services, AuditActions.StudyQueued, AuditSubjects.Study, study.Id,
                $"study '{study.Name}' with {runs.Count} runs on {data.Name}");
            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(RegistryJson.Serialize(new { study.Id, study.Name, grid.Asha, runs = runs.Select(RunSummary.Of) }));
            else
            {
                CliProgress.Out.MarkupLineInterpolated($"study [bold]{study.Id}[/] {study.Name}: {runs.Count} runs queued on {data.Name}");
                if (grid.Asha is { } rule) CliProgress.Out.MarkupLineInterpolated($"early stopping (ASHA): {rule.Describe()}");
                CliProgress.Out.Write(RunTable.Of(runs.Select(RunSummary.Of)));
            }
            return 0;
        });
        return command;
    }
}
