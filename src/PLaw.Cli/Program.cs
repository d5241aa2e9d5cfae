using System.CommandLine;
using PLaw.Cli.Commands;
using PLaw.Cli.Shell;

var root = new RootCommand("plaw — data quality, training and scaling laws for sequential recommenders (PLawDashboard, headless).")
{
    CommonOptions.DataDirectory,
};
root.Subcommands.Add(EntropyCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(DatasetsCommand.Create());
root.Subcommands.Add(TrainCommand.Create());

return await CliErrors.InvokeAsync(root, args);
