using System.CommandLine;
using System.Net;
using System.Text.Json;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Registry.Accounts;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw login --url URL --token SECRET</c>: checks the token against the dashboard (<c>GET /api/whoami</c>) and saves it for
/// that address (<see cref="Credentials"/>), so <c>plaw watch --url</c> can use it; <c>plaw logout</c> forgets it.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The dashboard's address, e.g. https://plaw.example.org.", Required = true };
        var token = new Option<string?>("--token") { Description = "A personal API token (plaw_…) from the dashboard's Tokens page or plaw tokens create." };
        var tokenStdin = new Option<bool>("--token-stdin") { Description = "Read the token from standard input (keeps it out of the shell history)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the dashboard, 1–300.", DefaultValueFactory = _ => 15 };
        var command = new Command("login", "Check an API token against a dashboard and save it for that address.") { url, token, tokenStdin, timeout };
        command.SetAction(async (result, ct) =>
        {
            var address = ParseUrl(result.GetValue(url)!);
            var seconds = result.GetValue(timeout);
            if (seconds is < 1 or > 300) throw new ArgumentException($"--timeout: {seconds} is out of range; expected 1–300 seconds.");
            var secret = ReadToken(result.GetValue(token), result.GetValue(tokenStdin));
            string name, role;
            string? scope, mode;
            try
            {
                (name, role, scope, mode) = await WhoAmIAsync(address, secret, TimeSpan.FromSeconds(seconds), ct);
            }
            catch (LoginFailedException e)
            {
                await Console.Error.WriteLineAsync($"plaw: login failed: {EchoedText.Escape(e.Message)}");
                return e.ExitCode;
            }
            Credentials.Save(new Credentials.Entry(Credentials.Normalize(address), secret, name, role, DateTime.UtcNow));
            Console.WriteLine($"signed in to {Credentials.Normalize(address)} as {EchoedText.Of(name)} ({EchoedText.Of(role)}" +
                              $"{(scope is null ? "" : $", token scope {EchoedText.Of(scope)}")}); token saved in {Credentials.FilePath}");
            if (mode == "local")
                Console.WriteLine("note: that dashboard runs in local (single-user) mode and needs no token.");
            return 0;
        });
        return command;
    }

    public static Command CreateLogout()
    {
        var url = new Option<string?>("--url") { Description = "Forget only this dashboard's token (default: all saved tokens)." };
        var command = new Command("logout", "Forget saved dashboard tokens (they stay valid until revoked: plaw tokens revoke, or the Tokens page).") { url };
        command.SetAction(result =>
        {
            var address = result.GetValue(url) is { } text ? ParseUrl(text) : null;
            var removed = Credentials.Remove(address);
            Console.WriteLine(removed == 0
                ? address is null ? "no saved tokens" : $"no saved token for {Credentials.Normalize(address)}"
                : $"forgot {removed} saved token{(removed == 1 ? "" : "s")}; revoke {(removed == 1 ? "it" : "them")} on the dashboard if {(removed == 1 ? "it was" : "they were")} shared or leaked");
            return 0;
        });
        return command;
    }

    internal static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"--url: '{EchoedText.Of(text)}' is not an http:// or https:// address (e.g. http://127.0.0.1:5080).");
        return uri;
    }

    private static string ReadToken(string? token, bool fromStdin)
    {
        if (fromStdin == token is not null)
            throw new ArgumentException("Give the token with either --token SECRET or --token-stdin.");
        var secret = (fromStdin ? Console.In.ReadLine() : token)?.Trim() ?? "";
        if (!secret.StartsWith(ApiTokens.SecretPrefix, StringComparison.Ordinal) || secret.Length < 20 || secret.Any(char.IsWhiteSpace))
            throw new ArgumentException($"--token: expected a token starting with {ApiTokens.SecretPrefix} (create one on the dashboard's Tokens page or with plaw tokens create).");
        return secret;
    }

    /// <summary>The dashboard's answer for this token; <see cref="LoginFailedException"/> says why there is none.</summary>
    private static async Task<(string Name, string Role, string? Scope, string? Mode)> WhoAmIAsync(Uri address, string secret, TimeSpan timeout,
        CancellationToken ct)
    {
        var endpoint = new Uri(EndsWithSlash(address), "api/whoami");
        using var call = new DashboardCall(timeout, ct);
        var response = await call.GetAsync(endpoint, secret, HttpCompletionOption.ResponseHeadersRead,
            new DashboardWording(address.ToString(), address.Host, "--url", "is that the dashboard's address, and is it up? --timeout waits longer",
                "is the dashboard running, on that port?", m => Fail(m)), ct);
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    throw Fail($"the dashboard at {address} refused the token (401): it is unknown, revoked or expired, or its user is locked out. " +
                                "Create a new one on the Tokens page or with plaw tokens create.", BadToken);
                case HttpStatusCode.Forbidden:
                    throw Fail($"the dashboard at {address} refused the token (403 Forbidden).", BadToken);
                case HttpStatusCode.NotFound:
                    throw Fail($"{endpoint} was not found (404): --url should be the dashboard's own address (the page that shows Runs), " +
                                "and the dashboard new enough to have sign-in.", BadToken);
                case >= HttpStatusCode.Redirect and < HttpStatusCode.BadRequest:
                    throw Fail($"{endpoint} answered with a redirect ({(int)response.StatusCode}) to {response.Headers.Location}: " +
                                "that is not a PLaw dashboard's API; check --url (https:// if the server redirects to it).", BadToken);
                case var code when !response.IsSuccessStatusCode:
                    throw Fail($"{endpoint} answered {(int)code} {response.ReasonPhrase}.");
            }
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(call.Deadline);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: call.Deadline);
                var root = json.RootElement;
                return (root.GetProperty("name").GetString() ?? "", root.GetProperty("role").GetString() ?? "",
                    root.TryGetProperty("scope", out var scope) ? scope.GetString() : null,
                    root.TryGetProperty("mode", out var mode) ? mode.GetString() : null);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw Fail($"{endpoint} did not answer like a PLaw dashboard (expected JSON with name and role).", BadToken);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw Fail($"{address} did not finish its answer within {timeout.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>The dashboard answered but refused the token or is not a dashboard: bad input (exit 2). Unreachable: exit 1.</summary>
    private const int BadToken = CliErrors.BadInput;

    private static LoginFailedException Fail(string message, int code = 1) => new(message, code);

    private sealed class LoginFailedException(string message, int exitCode) : Exception(message)
    {
        public int ExitCode { get; } = exitCode;
    }

    private static Uri EndsWithSlash(Uri address) => address.AbsolutePath.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
