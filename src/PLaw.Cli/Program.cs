using PLaw.Cli.Shell;

// Costly parts of commands (the run-option flags) are built only for the command named here.
InvokedCommand.SetArguments(args);
var commands = CommandTable.For(args);
CommandTable.CompileAheadFor(commands);

var root = CommandTable.Root(commands, args, "plaw — data quality, training and scaling laws for sequential recommenders (PLawDashboard, headless).");
root.Options.Add(CommonOptions.DataDirectory);
// Runs with --backend torch (or auto on CUDA) train on libtorch; registering it loads nothing until a run asks for it.
if (commands.Any(command => command.Trains)) PLaw.Engine.Torch.Training.TorchBackend.Install();
foreach (var command in commands) root.Subcommands.Add(command.Create());

return await CliErrors.InvokeAsync(root, args);
