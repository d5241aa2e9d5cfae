using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Registry.Accounts;
using PLaw.Registry.Runs;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw tokens create|list|revoke</c>: personal API tokens (the registry keeps only their hashes).</summary>
internal static class TokensCommand
{
    public const int MaxExpiryDays = 3650;

    public static Command Create()
    {
        var command = new Command("tokens", "Manage personal API tokens for the CLI, remote workers, the live hub and exports.");
        command.Subcommands.Add(New());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command New()
    {
        var user = new Option<string>("--user") { Description = "The user the token acts for (with that user's role).", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. laptop or gpu-worker-1.", Required = true };
        var scope = new Option<string>("--scope") { Description = "read (exports, live hub) | write (also cancel, re-queue) | worker", Required = true };
        var expires = new Option<string>("--expires") { Description = "Lifetime: Nd (days, 1–3650) or never. Default 90d.", DefaultValueFactory = _ => "90d" };
        var command = new Command("create", "Create a token and print its secret once.") { user, name, scope, expires, CommonOptions.Json };
        command.SetAction(async (result, ct) =>
        {
            var parsedScope = ParseScope(result.GetValue(scope)!);
            var expiresUtc = ParseExpiry(result.GetValue(expires)!, DateTime.UtcNow);
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var (token, secret) = await services.GetRequiredService<ApiTokens>()
                .CreateAsync(result.GetValue(user)!, result.GetValue(name)!, parsedScope, expiresUtc, ct);
            await CliRegistry.AuditAsync(services, AuditActions.TokenCreated, AuditSubjects.Token, token.Id,
                $"token {token.Id} '{token.Name}' ({Scope(token.Scope)}) for {token.UserName}, {(token.ExpiresUtc is { } e ? $"expires {e:yyyy-MM-dd}" : "never expires")}");
            if (result.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { token = View(token), secret }, UtcJson.Options));
                return 0;
            }
            Console.WriteLine($"token {token.Id} '{EchoedText.Of(token.Name)}' for {EchoedText.Of(token.UserName)} ({Scope(token.Scope)}, " +
                              $"{(token.ExpiresUtc is { } at ? $"expires {at:yyyy-MM-dd HH:mm} UTC" : "never expires")})");
            Console.WriteLine($"secret (shown once, store it now): {secret}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var user = new Option<string?>("--user") { Description = "Only this user's tokens (default: everyone's)." };
        var command = new Command("list", "List tokens: id, prefix, scope, expiry, last use (never the secrets).") { user, CommonOptions.Json };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var tokens = await services.GetRequiredService<ApiTokens>().ListAsync(result.GetValue(user), ct);
            if (result.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(tokens.Select(View), UtcJson.Options));
                return 0;
            }
            var now = DateTime.UtcNow;
            var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "user", "name", "prefix", "scope", "created (UTC)", "expires (UTC)", "last used (UTC)", "state");
            foreach (var t in tokens)
                table.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.UserName), Markup.Escape(t.Name), Markup.Escape(t.Prefix) + "…",
                    Scope(t.Scope), Time(t.CreatedUtc), t.ExpiresUtc is { } e ? Time(e) : "never", t.LastUsedUtc is { } u ? Time(u) : "",
                    t.RevokedUtc is not null ? "revoked" : t.Active(now) ? "active" : "expired");
            CliProgress.Out.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<int>("id") { Description = "Token id (plaw tokens list)." };
        var command = new Command("revoke", "Revoke a token: it stops working at once.") { id };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var token = result.GetValue(id);
            if (!await services.GetRequiredService<ApiTokens>().RevokeAsync(token, null, ct))
                throw new KeyNotFoundException($"There is no active token {token} (plaw tokens list).");
            await CliRegistry.AuditAsync(services, AuditActions.TokenRevoked, AuditSubjects.Token, token, $"token {token} revoked");
            Console.WriteLine($"token {token} revoked");
            return 0;
        });
        return command;
    }

    internal static TokenScope ParseScope(string text) => text.Trim().ToLowerInvariant() switch
    {
        "read" => TokenScope.Read,
        "write" => TokenScope.Write,
        "worker" => TokenScope.Worker,
        _ => throw new ArgumentException($"--scope: '{EchoedText.Of(text)}' is not a scope; expected read, write or worker."),
    };

    /// <summary>"90d" → now + 90 days; "never" → null.</summary>
    internal static DateTime? ParseExpiry(string text, DateTime nowUtc)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "never") return null;
        if (trimmed.EndsWith('d') && int.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days)
                                  && days is >= 1 and <= MaxExpiryDays)
            return nowUtc.AddDays(days);
        throw new ArgumentException($"--expires: '{EchoedText.Of(text)}' is not a lifetime; expected Nd with N days from 1 to {MaxExpiryDays} (e.g. 90d), or never.");
    }

    private static string Scope(TokenScope scope) => scope.ToString().ToLowerInvariant();

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static object View(ApiTokenView t) => new
    {
        id = t.Id, user = t.UserName, name = t.Name, prefix = t.Prefix, scope = Scope(t.Scope), createdUtc = t.CreatedUtc,
        expiresUtc = t.ExpiresUtc, lastUsedUtc = t.LastUsedUtc, revokedUtc = t.RevokedUtc,
    };
}
