using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Accounts;
using PLaw.Registry.Runs;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw cancel &lt;run&gt;</c> and <c>plaw requeue &lt;run&gt;</c>.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var run = new Argument<int>("run") { Description = "Run id." };
        var command = new Command("cancel", "Cancel a queued run, or ask the worker training it to stop (it checkpoints first).") { run };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var before = (await services.GetRequiredService<RunCatalog>().FindAsync(result.GetValue(run), ct))?.Status;
            var status = await services.GetRequiredService<RunCatalog>().CancelAsync(result.GetValue(run), ct);
            if (before is RunStatus.Queued or RunStatus.Running)
                await CliRegistry.AuditAsync(services, AuditActions.Cancelled, AuditSubjects.Run, result.GetValue(run),
                    status == RunStatus.Running ? "cancel requested while training" : "cancelled");
            Console.WriteLine(status switch
            {
                RunStatus.Cancelled => $"run {result.GetValue(run)} cancelled",
                RunStatus.Running => $"run {result.GetValue(run)}: cancel requested; its worker stops it after the current step",
                _ => $"run {result.GetValue(run)} is already {status.Label()}",
            });
            return 0;
        });
        return command;
    }

    public static Command CreateRequeue()
    {
        var run = new Argument<int>("run") { Description = "Run id." };
        var command = new Command("requeue", "Put a failed or cancelled run back in the queue; it resumes from its checkpoint.") { run };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            await services.GetRequiredService<RunCatalog>().RequeueAsync(result.GetValue(run), ct);
            await CliRegistry.AuditAsync(services, AuditActions.Requeued, AuditSubjects.Run, result.GetValue(run), "re-queued");
            Console.WriteLine($"run {result.GetValue(run)} re-queued");
            return 0;
        });
        return command;
    }
}
