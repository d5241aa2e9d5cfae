namespace PLaw.Web.Hosting;

/// <summary>
/// <c>PLaw.Web --healthcheck http://127.0.0.1:8080/healthz</c>: asks a running dashboard whether it is healthy and exits 0
/// (healthy) or 1 (anything else), without starting a server. The Docker image's HEALTHCHECK runs it: the ASP.NET Core runtime
/// image has neither curl nor wget, and its /bin/sh (dash) has no /dev/tcp.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Flag;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"usage: PLaw.Web {Flag} http://127.0.0.1:8080/healthz");
            return 1;
        }
        // Under Docker's --timeout=5s, including the process start.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await http.GetAsync(url);
            var body = (await response.Content.ReadAsStringAsync()).Trim();
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode} {body}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Out.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }
}
