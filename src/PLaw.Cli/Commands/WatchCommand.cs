using System.CommandLine;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Runs;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw watch &lt;run&gt; [--url http://127.0.0.1:5080]</c>: follow a run live until it finishes. With --url it listens on
/// the dashboard's hub (<c>/hubs/runs</c>) with the token <c>plaw login</c> saved for it; without, it reads the registry once a second.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var run = new Argument<int>("run") { Description = "Run id." };
        var url = new Option<string?>("--url") { Description = "The dashboard's address, to follow its live hub." };
        var command = new Command("watch", "Follow a run's loss and metrics until it finishes.") { run, url };
        command.SetAction(async (result, ct) =>
        {
            var id = result.GetValue(run);
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<RunCatalog>();
            var first = await catalog.FindAsync(id, ct) ?? throw new KeyNotFoundException($"Run {id} does not exist.");
            RunSummary latest = RunSummary.Of(first);
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            HubConnection? hub = null;
            if (result.GetValue(url) is { } address)
            {
                var dashboard = LoginCommand.ParseUrl(address);
                // The token plaw login saved for this address ($PLAW_TOKEN first), sent as the bearer token; the hub also reads
                // it from ?access_token= when WebSockets cannot carry the header.
                var token = Environment.GetEnvironmentVariable("PLAW_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : Credentials.TokenFor(dashboard);
                hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(dashboard, "/hubs/runs"), o => { if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token); })
                    .WithAutomaticReconnect().Build();
                hub.On<RunSummary>("RunChanged", r => { if (r.Id == id) { latest = r; if (r.Status.IsFinished()) finished.TrySetResult(); } });
                hub.On<int, List<MetricPoint>>("MetricsAppended", (_, points) =>
                {
                    foreach (var p in points.Where(p => p.Split != MetricSplits.Train))
                        CliProgress.Error.MarkupLineInterpolated($"epoch {p.Epoch} {p.Split} {p.Name} = {p.Value:F4}");
                });
                hub.On<int, DateTime, string>("RunLogged", (_, _, text) => CliProgress.Error.MarkupLineInterpolated($"[grey]{text}[/]"));
                try
                {
                    await hub.StartAsync(ct);
                }
                catch (HttpRequestException e) when (e.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                {
                    throw new InvalidOperationException(token is null
                        ? $"{Credentials.Normalize(dashboard)} needs sign-in: run plaw login --url {Credentials.Normalize(dashboard)} --token plaw_… first."
                        : $"{Credentials.Normalize(dashboard)} refused the saved token ({(int)e.StatusCode!}); it may be revoked or expired: plaw login again with a new one.");
                }
                await hub.InvokeAsync("Watch", id, ct);
            }
            await CliProgress.StartAsync($"run {id} {Markup.Escape(first.Name)}", Math.Max(1, first.Epochs), async task =>
                {
                    while (!latest.Status.IsFinished())
                    {
                        if (hub is null) latest = RunSummary.Of(await catalog.FindAsync(id, ct) ?? first);
                        task.Value = latest.EpochsDone;
                        task.Description = $"run {id} {Markup.Escape(latest.Name)} · step {latest.StepsDone:N0} · loss {latest.LastLoss:F4}";
                        await Task.WhenAny(finished.Task, Task.Delay(1000, ct));
                    }
                    task.Value = latest.EpochsDone;
                });
            if (hub is not null) await hub.DisposeAsync();
            latest = RunSummary.Of(await catalog.FindAsync(id, ct) ?? first);
            CliProgress.Out.MarkupLineInterpolated($"run {id}: {latest.Status.Label()} · HR@10 {latest.TestHr10:F4} · NDCG@10 {latest.TestNdcg10:F4}");
            return latest.Status == RunStatus.Completed ? 0 : 1;
        });
        return command;
    }
}
