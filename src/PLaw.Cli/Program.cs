using System.CommandLine;
using PLaw.Cli.Commands;
using PLaw.Cli.Shell;

// Runs with --backend torch (or auto on CUDA) train on libtorch; registering it loads nothing until a run asks for it.
PLaw.Engine.Torch.Training.TorchBackend.Install();
// Costly parts of commands (the run-option flags) are built only for the command named here.
InvokedCommand.SetArguments(args);

var root = new RootCommand("plaw — data quality, training and scaling laws for sequential recommenders (PLawDashboard, headless).")
{
    CommonOptions.DataDirectory,
};
root.Subcommands.Add(EntropyCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(DatasetsCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Subcommands.Add(QueueCommand.Create());
root.Subcommands.Add(StudyCommand.Create());
root.Subcommands.Add(WatchCommand.Create());
root.Subcommands.Add(CancelCommand.Create());
root.Subcommands.Add(CancelCommand.CreateRequeue());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(WorkersCommand.Create());
root.Subcommands.Add(FitCommand.Create());
root.Subcommands.Add(OptimumCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(OptionsCommand.Create());
root.Subcommands.Add(ForecastCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(SweepEntropyCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
root.Subcommands.Add(TokensCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(LoginCommand.Create());
root.Subcommands.Add(LoginCommand.CreateLogout());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(ExportModelCommand.Create());
root.Subcommands.Add(ChallengeCommand.Create());

return await CliErrors.InvokeAsync(root, args);
