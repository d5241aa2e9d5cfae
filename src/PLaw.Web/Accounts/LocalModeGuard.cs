using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PLaw.Web.Accounts;

/// <summary>
/// Local mode was decided from the configured addresses; once bound, the real ones are checked too (an endpoint set up in a
/// way the configuration does not show): Local mode on an address other machines reach stops the process with exit code 1.
/// </summary>
public static class LocalModeGuard
{
    public static void RefuseLocalModeOnOpenAddresses(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<DashboardAuth>().IsLocal) return;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var open = addresses.Where(a => !DashboardAuth.IsLoopback(a)).ToList();
            if (open.Count == 0) return;
            Console.Error.WriteLine($"PLawDashboard stopped: Local mode (no sign-in) is listening on {string.Join(", ", open)}, which other machines can reach. " +
                                    "Listen on loopback only, or set PLaw__Auth__Mode=SignIn.");
            Environment.ExitCode = 1;
            app.Lifetime.StopApplication();
        });
    }
}
