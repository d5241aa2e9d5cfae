using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PLaw.Cli.Tests;

/// <summary>plaw users / tokens / audit / datasets delete-restore-purge / login against real registry folders (#11).</summary>
public sealed class AccountCommandsTests
{
    private static string Actor => $"cli:{Environment.UserName}";

    private static string NewData() => Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-accounts-").FullName, "data");

    private static JsonElement Json(Plaw.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    private static void Ok(Plaw.Result result) => Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");

    private static List<string[]> Rows(string data, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "registry.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString()!)]);
        return rows;
    }

    [Fact]
    public async Task UsersAreAddedListedAndReRoledAndTheLastAdminIsKept()
    {
        var data = NewData();
        var admin = await Plaw.RunAsync("users", "add", "grace", "--role", "admin", "--data-dir", data);
        Ok(admin);
        var generated = admin.Out.Split('\n').Single(l => l.StartsWith("password (shown once): ", StringComparison.Ordinal))["password (shown once): ".Length..].Trim();
        Assert.Equal(20, generated.Length);
        Ok(await Plaw.RunWithAsync(null, "a member password\n", "users", "add", "alan", "--role", "Member", "--password-stdin", "--data-dir", data));
        // Identity's hash, never the password itself.
        var hashes = Rows(data, "SELECT UserName, PasswordHash FROM AspNetUsers ORDER BY UserName");
        Assert.Equal(["alan", "grace"], hashes.Select(r => r[0]));
        Assert.All(hashes, r => Assert.StartsWith("AQAAAA", r[1], StringComparison.Ordinal));
        Assert.DoesNotContain(hashes, r => r[1].Contains(generated, StringComparison.Ordinal));

        var bad = await Plaw.RunAsync("users", "add", "bob", "--role", "owner", "--data-dir", data);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--role: 'owner' is not a role", bad.Error, StringComparison.Ordinal);
        var weak = await Plaw.RunWithAsync(null, "short\n", "users", "add", "bob", "--role", "viewer", "--password-stdin", "--data-dir", data);
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("at least 10 characters", weak.Error, StringComparison.Ordinal);

        var lastAdmin = await Plaw.RunAsync("users", "set-role", "grace", "viewer", "--data-dir", data);
        Assert.Equal(2, lastAdmin.ExitCode);
        Assert.Contains("last admin", lastAdmin.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await Plaw.RunAsync("users", "remove", "grace", "--data-dir", data)).ExitCode);

        Ok(await Plaw.RunAsync("users", "set-role", "alan", "admin", "--data-dir", data));
        Ok(await Plaw.RunAsync("users", "set-role", "grace", "viewer", "--data-dir", data));
        Ok(await Plaw.RunAsync("users", "lock", "grace", "--data-dir", data));
        var users = Json(await Plaw.RunAsync("users", "list", "--json", "--data-dir", data)).EnumerateArray()
            .Select(u => (u.GetProperty("name").GetString(), u.GetProperty("role").GetString(), u.GetProperty("lockedOut").GetBoolean())).ToList();
        Assert.Equal([("alan", "Admin", false), ("grace", "Viewer", true)], users);

        var trail = Json(await Plaw.RunAsync("audit", "--json", "--data-dir", data)).EnumerateArray().ToList();
        Assert.Equal(["user locked", "role changed", "role changed", "user added", "user added"], trail.Select(a => a.GetProperty("action").GetString()));
        Assert.All(trail, a => Assert.Equal(Actor, a.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task ATokensSecretIsPrintedOnceAndOnlyItsHashIsStored()
    {
        var data = NewData();
        Ok(await Plaw.RunAsync("users", "add", "grace", "--role", "admin", "--data-dir", data));
        var created = await Plaw.RunAsync("tokens", "create", "--user", "grace", "--name", "laptop", "--scope", "write", "--expires", "30d", "--data-dir", data);
        Ok(created);
        var secret = created.Out.Split('\n').Single(l => l.StartsWith("secret (shown once", StringComparison.Ordinal)).Split(": ")[1].Trim();
        Assert.StartsWith("plaw_", secret, StringComparison.Ordinal);

        var stored = Assert.Single(Rows(data, "SELECT Hash, Prefix, Scope, ExpiresUtc FROM ApiTokens"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored[0]);
        Assert.Equal(secret[..12], stored[1]);
        Assert.Equal("Write", stored[2]);
        Assert.NotEqual("", stored[3]);
        var listed = await Plaw.RunAsync("tokens", "list", "--data-dir", data);
        Ok(listed);
        Assert.Contains(secret[..12], listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);
        var json = Json(await Plaw.RunAsync("tokens", "list", "--json", "--data-dir", data));
        Assert.DoesNotContain(secret, json.GetRawText(), StringComparison.Ordinal);
        var id = Assert.Single(json.EnumerateArray()).GetProperty("id").GetInt32();

        var badScope = await Plaw.RunAsync("tokens", "create", "--user", "grace", "--name", "x", "--scope", "admin", "--data-dir", data);
        Assert.Equal(2, badScope.ExitCode);
        Assert.Contains("--scope", badScope.Error, StringComparison.Ordinal);
        var badExpiry = await Plaw.RunAsync("tokens", "create", "--user", "grace", "--name", "x", "--scope", "read", "--expires", "tomorrow", "--data-dir", data);
        Assert.Equal(2, badExpiry.ExitCode);
        Assert.Contains("--expires", badExpiry.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await Plaw.RunAsync("tokens", "create", "--user", "nobody", "--name", "x", "--scope", "read", "--data-dir", data)).ExitCode);

        Ok(await Plaw.RunAsync("tokens", "revoke", id.ToString(), "--data-dir", data));
        Assert.NotEqual("", Assert.Single(Rows(data, "SELECT RevokedUtc FROM ApiTokens"))[0]);
        var again = await Plaw.RunAsync("tokens", "revoke", id.ToString(), "--data-dir", data);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal(JsonValueKind.String, Json(await Plaw.RunAsync("tokens", "list", "--json", "--data-dir", data))[0].GetProperty("revokedUtc").ValueKind);
        Assert.Equal(["token revoked", "token created", "user added"],
            Json(await Plaw.RunAsync("audit", "--json", "--data-dir", data)).EnumerateArray().Select(a => a.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task TheAuditTrailNamesWhoQueuedAndCancelledARun()
    {
        var data = await SmallRegistry.CreateAsync("plaw-cli-audit-");
        var run = Json(await Plaw.RunAsync("queue", "--dataset", "small", "--layers", "1", "--dim", "8", "--max-len", "10", "--epochs", "1",
            "--tags", "=HYPERLINK(\"http://evil.example\")", "--data-dir", data, "--json")).GetProperty("id").GetInt32();
        Ok(await Plaw.RunAsync("cancel", run.ToString(), "--data-dir", data));
        Ok(await Plaw.RunAsync("cancel", run.ToString(), "--data-dir", data)); // already cancelled: changes nothing, audits nothing

        var trail = Json(await Plaw.RunAsync("audit", "--run", run.ToString(), "--json", "--data-dir", data)).EnumerateArray().ToList();
        Assert.Equal(["cancelled", "queued"], trail.Select(a => a.GetProperty("action").GetString()));
        Assert.All(trail, a => Assert.Equal((Actor, "run", run), (a.GetProperty("actor").GetString(), a.GetProperty("subjectKind").GetString(),
            a.GetProperty("subjectId").GetInt32())));
        var all = Json(await Plaw.RunAsync("audit", "--json", "--data-dir", data)).EnumerateArray().Select(a => a.GetProperty("action").GetString());
        Assert.Equal(["cancelled", "queued", "imported"], all);

        var csv = await Plaw.RunAsync("audit", "--run", run.ToString(), "--csv", "--data-dir", data);
        Ok(csv);
        var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,time,actor,action,subject,subjectId,detail", lines[0].TrimEnd('\r'));
        Assert.Equal(3, lines.Length);
        Assert.Contains($",{Actor},cancelled,run,{run},", lines[1], StringComparison.Ordinal);

        var both = await Plaw.RunAsync("audit", "--run", "1", "--dataset", "1", "--data-dir", data);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--run and --dataset", both.Error, StringComparison.Ordinal);
        var limit = await Plaw.RunAsync("audit", "--limit", "abc", "--data-dir", data);
        Assert.Equal(2, limit.ExitCode);
        Assert.Contains("--limit", limit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatasetIsDeletedRestoredAndPurged()
    {
        var data = await SmallRegistry.CreateAsync("plaw-cli-softdelete-");
        var dataset = Json(await Plaw.RunAsync("datasets", "--json", "--data-dir", data))[0].GetProperty("id").GetInt32().ToString();
        var run = Json(await Plaw.RunAsync("queue", "--dataset", "small", "--layers", "1", "--dim", "8", "--max-len", "10", "--epochs", "1",
            "--data-dir", data, "--json")).GetProperty("id").GetInt32().ToString();

        var busy = await Plaw.RunAsync("datasets", "delete", dataset, "--data-dir", data);
        Assert.Equal(2, busy.ExitCode);
        Assert.Contains("queued or running", busy.Error, StringComparison.Ordinal);
        Ok(await Plaw.RunAsync("cancel", run, "--data-dir", data));

        var deleted = await Plaw.RunAsync("datasets", "delete", dataset, "--data-dir", data);
        Ok(deleted);
        Assert.Contains("1 run", deleted.Out, StringComparison.Ordinal);
        Assert.Empty(Json(await Plaw.RunAsync("datasets", "--json", "--data-dir", data)).EnumerateArray());
        Assert.Empty(Json(await Plaw.RunAsync("runs", "--json", "--data-dir", data)).EnumerateArray());
        var gone = Assert.Single(Json(await Plaw.RunAsync("datasets", "--deleted", "--json", "--data-dir", data)).EnumerateArray());
        Assert.Equal(Actor, gone.GetProperty("deletedBy").GetString());
        Assert.Equal(2, (await Plaw.RunAsync("requeue", run, "--data-dir", data)).ExitCode);

        Ok(await Plaw.RunAsync("datasets", "restore", dataset, "--data-dir", data));
        Assert.Single(Json(await Plaw.RunAsync("datasets", "--json", "--data-dir", data)).EnumerateArray());
        Assert.Equal(run, Assert.Single(Json(await Plaw.RunAsync("runs", "--json", "--data-dir", data)).EnumerateArray()).GetProperty("id").GetInt32().ToString());
        Assert.Equal(2, (await Plaw.RunAsync("datasets", "restore", dataset, "--data-dir", data)).ExitCode);

        Ok(await Plaw.RunAsync("datasets", "delete", dataset, "--data-dir", data));
        Ok(await Plaw.RunAsync("datasets", "purge", dataset, "--data-dir", data));
        Assert.Empty(Json(await Plaw.RunAsync("datasets", "--deleted", "--json", "--data-dir", data)).EnumerateArray());
        Assert.Equal("0", Rows(data, "SELECT COUNT(*) FROM Runs")[0][0]);
        Assert.Equal("0", Rows(data, "SELECT COUNT(*) FROM Datasets")[0][0]);
        Assert.Equal(2, (await Plaw.RunAsync("datasets", "purge", dataset, "--data-dir", data)).ExitCode);

        var trail = Json(await Plaw.RunAsync("audit", "--dataset", dataset, "--json", "--data-dir", data)).EnumerateArray()
            .Select(a => a.GetProperty("action").GetString());
        Assert.Equal(["purged", "deleted", "restored", "deleted", "imported"], trail);
    }

    [Fact]
    public async Task LoginToAnAddressNobodyListensOnSaysSoAndSavesNothing()
    {
        var config = Directory.CreateTempSubdirectory("plaw-cli-login-").FullName;
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config };
        var port = FreePort();
        var refused = await Plaw.RunWithAsync(environment, null, "login", "--url", $"http://127.0.0.1:{port}", "--token", "plaw_" + new string('a', 43));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"could not connect to http://127.0.0.1:{port}/: connection refused", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(config, "plaw", "credentials.json")));

        var badToken = await Plaw.RunWithAsync(environment, null, "login", "--url", $"http://127.0.0.1:{port}", "--token", "hunter2");
        Assert.Equal(2, badToken.ExitCode);
        Assert.Contains("--token: expected a token starting with plaw_", badToken.Error, StringComparison.Ordinal);
        var badUrl = await Plaw.RunWithAsync(environment, null, "login", "--url", "127.0.0.1:5080", "--token", "plaw_" + new string('a', 43));
        Assert.Equal(2, badUrl.ExitCode);
        Assert.Contains("--url", badUrl.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The CLI's side of the whoami contract (#11: <c>GET /api/whoami</c> with the bearer token → name and role, or 401),
    /// answered by a plain HTTP listener; the real dashboard is exercised by the web tests.
    /// </summary>
    [Fact]
    public async Task LoginSavesACheckedTokenReadableOnlyByItsOwnerAndLogoutForgetsIt()
    {
        var config = Directory.CreateTempSubdirectory("plaw-cli-login-").FullName;
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config };
        var good = "plaw_" + new string('g', 43);
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                var response = context.Response;
                if (context.Request.Url!.AbsolutePath != "/api/whoami") response.StatusCode = 404;
                else if (context.Request.Headers["Authorization"] != $"Bearer {good}") response.StatusCode = 401;
                else
                {
                    response.ContentType = "application/json";
                    var body = """{"name":"ada","role":"Member","mode":"signin","scheme":"token","scope":"write"}"""u8.ToArray();
                    await response.OutputStream.WriteAsync(body);
                }
                response.Close();
            }
        });
        var url = $"http://127.0.0.1:{port}";
        var file = Path.Combine(config, "plaw", "credentials.json");

        var refused = await Plaw.RunWithAsync(environment, null, "login", "--url", url, "--token", "plaw_" + new string('b', 43));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("refused the token (401)", refused.Error, StringComparison.Ordinal);
        var notFound = await Plaw.RunWithAsync(environment, null, "login", "--url", url + "/elsewhere/", "--token", good);
        Assert.Equal(2, notFound.ExitCode);
        Assert.Contains("was not found (404)", notFound.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));

        var signedIn = await Plaw.RunWithAsync(environment, good + "\n", "login", "--url", url + "/", "--token-stdin");
        Ok(signedIn);
        Assert.Contains("as ada (Member, token scope write)", signedIn.Out, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var saved = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("dashboards")[0];
        Assert.Equal((url, good, "ada"), (saved.GetProperty("url").GetString(), saved.GetProperty("token").GetString(), saved.GetProperty("userName").GetString()));

        Ok(await Plaw.RunWithAsync(environment, null, "logout", "--url", url));
        Assert.False(File.Exists(file));
        listener.Stop();
        await serving;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
