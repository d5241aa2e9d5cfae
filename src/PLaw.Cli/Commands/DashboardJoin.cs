using System.Net;
using System.Text.Json;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Registry.Accounts;
using PLaw.Registry.Storage;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw worker --registry https://dashboard --token …</c>: asks the dashboard (<c>GET /api/worker/registry</c>) for the
/// registry connection its workers use, with a worker-scoped token. The token comes from --token, --token-file, $PLAW_TOKEN,
/// $PLAW_TOKEN_FILE or what <c>plaw login</c> saved for the address, in that order, and is never printed.
/// </summary>
internal static class DashboardJoin
{
    public const string Endpoint = "api/worker/registry";

    /// <summary>True when --registry names a dashboard (http:// or https://) rather than a database.</summary>
    public static bool IsDashboard(string registry, out Uri dashboard)
    {
        dashboard = null!;
        if (!Uri.TryCreate(registry.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        dashboard = uri;
        return true;
    }

    /// <summary>
    /// Joining sends a worker token and receives the registry's password: neither crosses a network in clear text. Plain
    /// http:// is for a dashboard on this machine only.
    /// </summary>
    public static void RequireSecure(Uri dashboard)
    {
        if (dashboard.Scheme == Uri.UriSchemeHttps || dashboard.IsLoopback) return;
        throw new ArgumentException($"--registry {Credentials.Normalize(dashboard)}: joining sends a worker token and receives the registry's " +
                                    "password, so it needs https:// (plain http:// only to this machine, e.g. http://127.0.0.1). Put the " +
                                    "dashboard behind TLS, or give the worker the database: --registry \"Host=…\" --registry-password-file FILE.");
    }

    /// <summary>The worker token, from the first source that has one; a clear error naming them all when none does.</summary>
    public static string Token(string? flag, string? file, Uri dashboard)
    {
        var (secret, source) = flag is { Length: > 0 } ? (flag, "--token")
            : file is { Length: > 0 } ? (ReadFile(file, "--token-file"), "--token-file")
            : Environment.GetEnvironmentVariable("PLAW_TOKEN") is { Length: > 0 } env ? (env, "$PLAW_TOKEN")
            : Environment.GetEnvironmentVariable("PLAW_TOKEN_FILE") is { Length: > 0 } envFile ? (ReadFile(envFile, "$PLAW_TOKEN_FILE"), "$PLAW_TOKEN_FILE")
            : Credentials.TokenFor(dashboard) is { } saved ? (saved, $"the token plaw login saved ({Credentials.FilePath})")
            : throw new ArgumentException($"--registry {Credentials.Normalize(dashboard)} needs a worker token: --token, --token-file, " +
                                          "$PLAW_TOKEN or $PLAW_TOKEN_FILE (create one of scope worker on the Tokens page or with plaw tokens create).");
        secret = secret.Trim();
        if (!secret.StartsWith(ApiTokens.SecretPrefix, StringComparison.Ordinal) || secret.Length < 20 || secret.Any(char.IsWhiteSpace))
            throw new ArgumentException($"{source}: expected an API token starting with {ApiTokens.SecretPrefix}.");
        return secret;
    }

    private static string ReadFile(string file, string what) => File.Exists(file)
        ? File.ReadAllText(file)
        : throw new FileNotFoundException($"{what}: the token file {file} does not exist.", file);

    /// <summary>The registry the dashboard gives its workers; <see cref="InvalidOperationException"/> says why there is none.</summary>
    public static async Task<RegistryConnection> FetchAsync(Uri dashboard, string token, TimeSpan timeout, CancellationToken ct)
    {
        var address = Credentials.Normalize(dashboard);
        var endpoint = new Uri(new Uri(address + "/"), Endpoint);
        using var call = new DashboardCall(timeout, ct);
        var response = await call.GetAsync(endpoint, token, HttpCompletionOption.ResponseContentRead,
            new DashboardWording($"the dashboard at {address}", dashboard.Host, "--registry", "is the address right, and is it up?",
                "is it running, on that port?", Fail), ct);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    throw Fail($"the dashboard at {address} refused the token (401): it is unknown, revoked or expired, or its user is " +
                               "locked out. Create a worker token on the Tokens page or with plaw tokens create --scope worker.");
                case HttpStatusCode.Forbidden or HttpStatusCode.Conflict:
                    throw Fail($"the dashboard at {address} refused to let this worker join ({(int)response.StatusCode}): {ErrorOf(body)}");
                case HttpStatusCode.NotFound:
                    throw Fail($"{endpoint} was not found (404): --registry should be the dashboard's own address, and the dashboard " +
                               "new enough to take remote workers.");
                case >= HttpStatusCode.Redirect and < HttpStatusCode.BadRequest:
                    throw Fail($"{endpoint} answered with a redirect ({(int)response.StatusCode}) to {response.Headers.Location}: " +
                               "give the address it redirects to (https:// if the server redirects to it).");
                case var code when !response.IsSuccessStatusCode:
                    throw Fail($"{endpoint} answered {(int)code} {response.ReasonPhrase}: {ErrorOf(body)}");
            }
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (root.GetProperty("provider").GetString() != "postgres")
                    throw Fail($"the dashboard at {address} offered a registry this worker cannot use ({root.GetProperty("provider").GetString()}).");
                return new RegistryConnection(RegistryProvider.Postgres, root.GetProperty("connectionString").GetString()
                                                                          ?? throw new KeyNotFoundException("connectionString"));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException)
            {
                throw Fail($"{endpoint} did not answer like a PLaw dashboard (expected JSON with provider and connectionString).");
            }
        }
    }

    /// <summary>The "error" of a JSON answer, else the (short) body itself, with control characters escaped.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error) && error.GetString() is { } text) return EchoedText.Of(text, 1000);
        }
        catch (JsonException) { }
        return EchoedText.Of(body, 300);
    }

    private static InvalidOperationException Fail(string message) => new(message);
}
