using PLaw.Registry.Runs;
using Spectre.Console;

namespace PLaw.Cli.Shell;

/// <summary>Runs as a terminal table.</summary>
internal static class RunTable
{
    public static Table Of(IEnumerable<RunSummary> runs)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in new[] { "id", "name", "study", "status", "epoch", "loss", "HR@10", "NDCG@10", "non-emb. params" })
            table.AddColumn(header);
        foreach (var r in runs)
            table.AddRow(r.Id.ToString(), Markup.Escape(r.Name), r.StudyId?.ToString() ?? "", Status(r.Status), $"{r.EpochsDone}/{r.Epochs}",
                r.LastLoss?.ToString("F4") ?? "", r.TestHr10?.ToString("F4") ?? "", r.TestNdcg10?.ToString("F4") ?? "",
                r.NonEmbeddingParameters.ToString("N0"));
        return table;
    }

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Completed => "[green]completed[/]",
        RunStatus.Failed => "[red]failed[/]",
        RunStatus.Running => "[blue]running[/]",
        RunStatus.Cancelled => "[yellow]cancelled[/]",
        RunStatus.StoppedEarly => "[grey]stopped early[/]",
        _ => "queued",
    };
}
