using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PLaw.Web.Hosting;

/// <summary>
/// Where the dashboard listens: <c>--urls</c>, <c>ASPNETCORE_URLS</c> (or <c>ASPNETCORE_HTTP_PORTS</c>, as the Docker image sets,
/// or Kestrel endpoints in configuration) when given, else <see cref="DefaultUrl"/>; and one line saying so once it listens.
/// The default lives here, not in launchSettings.json, whose applicationUrl would override ASPNETCORE_URLS under <c>dotnet run</c>.
/// </summary>
public static class ListeningAddresses
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Listens on <see cref="DefaultUrl"/> unless the configuration names an address.</summary>
    public static void UseDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
                         || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
                         || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
                         || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured) builder.WebHost.UseUrls(DefaultUrl);
    }

    /// <summary>
    /// The addresses Kestrel will bind, read from the configuration as Kestrel reads it: <c>Kestrel:Endpoints</c> first, then
    /// <c>urls</c>, then <c>http_ports</c> / <c>https_ports</c> (every interface), else <see cref="DefaultUrl"/>.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().Where(u => u.Length > 0).ToList();
        if (endpoints.Count > 0) return endpoints;
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ports = $"{configuration[WebHostDefaults.HttpPortsKey]};{configuration[WebHostDefaults.HttpsPortsKey]}"
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ports.Length > 0 ? ports.Select(p => $"http://*:{p}").ToList() : [DefaultUrl];
    }

    /// <summary>Prints "PLawDashboard listening on http://…" once the server has bound its addresses.</summary>
    public static void AnnounceAddressesOnStart(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is null || addresses.Count == 0) return; // an in-memory test server
            Console.Out.WriteLine(Describe(addresses));
            Console.Out.Flush();
        });

    internal static string Describe(ICollection<string> addresses)
    {
        var line = $"PLawDashboard listening on {string.Join(", ", addresses)}";
        // Every interface (Docker, or a server on the network): say which address opens it from this machine.
        foreach (var address in addresses)
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host is "0.0.0.0" or "[::]")
                return line + $" (every interface; on this machine open {uri.Scheme}://localhost:{uri.Port})";
        return line;
    }
}
