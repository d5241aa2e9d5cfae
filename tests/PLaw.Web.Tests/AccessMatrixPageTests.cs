using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PLaw.Data.Import;
using PLaw.Engine.Training;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;
using static PLaw.Web.Tests.Infrastructure.SignInServer;

namespace PLaw.Web.Tests;

/// <summary>
/// The access matrix in a real browser (issue #11): every page action × viewer, member and admin, each signed in through the
/// sign-in page. An allowed action does its work in the registry. A forbidden one shows its button disabled, and forcing it
/// anyway (enabling the button in the page and clicking) changes nothing in the registry. (MudBlazor drops a click on a button
/// whose Disabled parameter is set before it reaches the page's handler, so the handler's own Caller.RequireAsync check is a
/// second line that a browser cannot reach; this proves the first line holds even against an edited page.)
/// </summary>
[Collection(AccessMatrixCollection.Name)]
public sealed class AccessMatrixPageTests(SignInServer server)
{
    /// <summary>Each action and the least role that may do it (the contract's list).</summary>
    private static readonly (string Action, string Needs)[] Actions =
    [
        ("queue run", Roles.Member),
        ("clone run", Roles.Member),
        ("cancel run", Roles.Member),
        ("re-queue run", Roles.Member),
        ("save tags", Roles.Member),
        ("queue demo study", Roles.Member),
        ("new study", Roles.Member),
        ("new sweep", Roles.Member),
        ("import", Roles.Member),
        ("measure entropy", Roles.Member),
        ("delete dataset", Roles.Admin),
        ("restore dataset", Roles.Admin),
        ("purge dataset", Roles.Admin),
        ("users page", Roles.Admin),
        ("tokens page", Roles.Viewer),
    ];

    /// <summary>
    /// Each action for a user one role short of it (refused) and for the least role that may do it (works); the admin also
    /// cancels a run, so the role hierarchy is exercised in the browser too.
    /// </summary>
    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var (action, needs) in Actions)
            foreach (var user in Users)
                if (RoleOf(user) == needs || (user == Viewer && needs != Roles.Viewer) || (user == Member && needs == Roles.Admin)
                    || (user == Admin && action is "cancel run"))
                    rows.Add(action, user);
        return rows;
    }

    private static string RoleOf(string user) => user switch { Viewer => Roles.Viewer, Member => Roles.Member, _ => Roles.Admin };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task EachPageActionWorksForItsRoleAndIsRefusedBelowIt(string action, string user)
    {
        var needs = Actions.Single(a => a.Action == action).Needs;
        var allowed = Roles.AtLeast(RoleOf(user), needs);
        var page = action switch
        {
            "queue run" => await QueueRunAsync(user, allowed),
            "clone run" => await CloneRunAsync(user, allowed),
            "cancel run" => await CancelRunAsync(user, allowed),
            "re-queue run" => await RequeueRunAsync(user, allowed),
            "save tags" => await SaveTagsAsync(user, allowed),
            "queue demo study" => await QueueDemoStudyAsync(user, allowed),
            "new study" => await NewStudyAsync(user, allowed),
            "new sweep" => await NewSweepAsync(user, allowed),
            "import" => await ImportAsync(user, allowed),
            "measure entropy" => await MeasureAsync(user, allowed),
            "delete dataset" => await DeleteDatasetAsync(user, allowed),
            "restore dataset" => await RestoreDatasetAsync(user, allowed),
            "purge dataset" => await PurgeDatasetAsync(user, allowed),
            "users page" => await UsersPageAsync(user, allowed),
            "tokens page" => await TokensPageAsync(user),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        await page.CloseAsync();
    }

    private async Task<IPage> QueueRunAsync(string user, bool allowed)
    {
        var page = await server.OpenAsync(user, "/runs/new");
        await ActOrRefuseAsync(page, page.Locator("#queue-run"), allowed, Roles.Member,
            done: () => page.WaitForURLAsync(new Regex(@"/runs/\d+$")),
            changed: "Runs=");
        return page;
    }

    private async Task<IPage> CloneRunAsync(string user, bool allowed)
    {
        var run = await QueueAsync();
        var page = await server.OpenAsync(user, $"/runs/{run}");
        var clone = page.Locator("#clone-run");
        if (!allowed)
        {
            await AssertDisabledAsync(clone, Roles.Member);
            return page;
        }
        await clone.ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/runs/new\?clone={run}$"));
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var before = Count("Runs");
        await page.Locator("#queue-run").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        Assert.Equal(before + 1, Count("Runs"));
        return page;
    }

    private async Task<IPage> CancelRunAsync(string user, bool allowed)
    {
        var run = await QueueAsync();
        var page = await server.OpenAsync(user, $"/runs/{run}");
        await ActOrRefuseAsync(page, page.Locator("#cancel-run"), allowed, Roles.Member, done: async () =>
        {
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
            await RegistryFile.WaitUntilAsync(() => Status(run) == "Cancelled", TimeSpan.FromSeconds(30), $"run {run} cancelled");
        });
        return page;
    }

    private async Task<IPage> RequeueRunAsync(string user, bool allowed)
    {
        var run = await QueueAsync();
        await server.Registry.GetRequiredService<RunCatalog>().CancelAsync(run);
        var page = await server.OpenAsync(user, $"/runs/{run}");
        await ActOrRefuseAsync(page, page.Locator("#requeue-run"), allowed, Roles.Member,
            done: () => RegistryFile.WaitUntilAsync(() => Status(run) == "Queued", TimeSpan.FromSeconds(30), $"run {run} re-queued"));
        return page;
    }

    private async Task<IPage> SaveTagsAsync(string user, bool allowed)
    {
        var run = await QueueAsync();
        var page = await server.OpenAsync(user, $"/runs/{run}");
        var tags = page.Locator("#run-tags");
        if (allowed) await MudInputs.FillAsync(page, "run-tags", "matrix-tag");
        else if (await tags.IsEditableAsync())
            await MudInputs.FillAsync(page, "run-tags", "matrix-tag");   // a read-only field is refusal enough; typing must not save
        await ActOrRefuseAsync(page, page.Locator("#save-annotations"), allowed, Roles.Member,
            done: () => RegistryFile.WaitUntilAsync(() => Tags(run) == "matrix-tag", TimeSpan.FromSeconds(30), $"run {run} tagged"));
        return page;
    }

    private async Task<IPage> QueueDemoStudyAsync(string user, bool allowed)
    {
        var page = await server.OpenAsync(user, "/studies");
        await ActOrRefuseAsync(page, page.Locator("#queue-demo-study"), allowed, Roles.Member,
            done: () => RegistryFile.WaitUntilAsync(() => Count("Studies WHERE Name LIKE 'demo%'") > 0, TimeSpan.FromSeconds(30), "the demo study queued"));
        return page;
    }

    private async Task<IPage> NewStudyAsync(string user, bool allowed)
    {
        var page = await server.OpenAsync(user, "/studies/new");
        var name = $"matrix-study-{user}";
        if (await page.Locator("#study-name").IsEditableAsync()) await MudInputs.FillAsync(page, "study-name", name);
        await ActOrRefuseAsync(page, page.Locator("#create-study"), allowed, Roles.Member,
            done: () => RegistryFile.WaitUntilAsync(() => Count($"Studies WHERE Name = '{name}'") == 1, TimeSpan.FromSeconds(30), $"study {name}"));
        return page;
    }

    private async Task<IPage> NewSweepAsync(string user, bool allowed)
    {
        var page = await server.OpenAsync(user, "/sweeps");
        if (await page.Locator("#sweep-rates").IsEditableAsync())
        {
            await MudInputs.FillAsync(page, "sweep-rates", "1, 2, 3");
            await MudInputs.FillAsync(page, "sweep-users", "40");
            await MudInputs.FillAsync(page, "sweep-items", "30");
        }
        await ActOrRefuseAsync(page, page.Locator("#run-sweep"), allowed, Roles.Member,
            done: () => page.WaitForURLAsync(new Regex(@"/sweeps/\d+$"), new() { Timeout = 120_000 }));
        if (allowed) Assert.True(Count("EntropySweeps") >= 1);
        return page;
    }

    private async Task<IPage> ImportAsync(string user, bool allowed)
    {
        Directory.CreateDirectory(server.Server.ImportRoot);
        var name = $"matrix-import-{user}";
        File.WriteAllText(Path.Combine(server.Server.ImportRoot, $"{name}.data"), "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\t3\t102\n2\t12\t3\t103\n");
        var page = await server.OpenAsync(user, "/datasets");
        if (await page.Locator("#dataset-name").IsEditableAsync())
        {
            await MudInputs.FillAsync(page, "dataset-name", name);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
            await MudInputs.FillAsync(page, "server-path", $"{name}.data");
        }
        else
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        }
        await ActOrRefuseAsync(page, page.Locator("#import-path"), allowed, Roles.Member,
            done: () => RegistryFile.WaitUntilAsync(() => Count($"Datasets WHERE Name = '{name}'") == 1, TimeSpan.FromSeconds(60), $"dataset {name} imported"));
        return page;
    }

    private async Task<IPage> MeasureAsync(string user, bool allowed)
    {
        // A dataset of its own, small enough to measure at once; nobody measured it, so the page offers Measure.
        var (id, _) = await DatasetAsync($"matrix-measure-{user}");
        var page = await server.OpenAsync(user, $"/datasets/{id}?maxLen=25&m=2&r=0");
        var reports = Count("EntropyReports");
        await ActOrRefuseAsync(page, page.Locator("#measure"), allowed, Roles.Member,
            done: () => RegistryFile.WaitUntilAsync(() => Count("EntropyReports") > reports, TimeSpan.FromSeconds(60), "an entropy row stored"));
        return page;
    }

    private async Task<IPage> DeleteDatasetAsync(string user, bool allowed)
    {
        var (id, name) = await DatasetAsync($"matrix-delete-{user}");
        var page = await server.OpenAsync(user, "/datasets");
        await ActOrRefuseAsync(page, page.Locator($"button[aria-label='Delete {name}']"), allowed, Roles.Admin, done: async () =>
        {
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog).ToContainTextAsync("restore", new() { IgnoreCase = true });
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await RegistryFile.WaitUntilAsync(() => Count($"Datasets WHERE Id = {id} AND DeletedUtc IS NOT NULL") == 1,
                TimeSpan.FromSeconds(30), $"dataset {name} marked deleted");
        });
        return page;
    }

    private async Task<IPage> RestoreDatasetAsync(string user, bool allowed)
    {
        var (id, name) = await DatasetAsync($"matrix-restore-{user}");
        await server.Registry.GetRequiredService<DatasetCatalog>().DeleteAsync(id, "matrix");
        var page = await server.OpenAsync(user, "/datasets");
        await ActOrRefuseAsync(page, page.Locator($"button[aria-label='Restore {name}']"), allowed, Roles.Admin,
            done: () => RegistryFile.WaitUntilAsync(() => Count($"Datasets WHERE Id = {id} AND DeletedUtc IS NULL") == 1,
                TimeSpan.FromSeconds(30), $"dataset {name} restored"));
        return page;
    }

    private async Task<IPage> PurgeDatasetAsync(string user, bool allowed)
    {
        var (id, name) = await DatasetAsync($"matrix-purge-{user}");
        await server.Registry.GetRequiredService<DatasetCatalog>().DeleteAsync(id, "matrix");
        var page = await server.OpenAsync(user, "/datasets");
        await ActOrRefuseAsync(page, page.Locator($"button[aria-label='Purge {name}']"), allowed, Roles.Admin, done: async () =>
        {
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Purge" }).ClickAsync();
            await RegistryFile.WaitUntilAsync(() => Count($"Datasets WHERE Id = {id}") == 0, TimeSpan.FromSeconds(30), $"dataset {name} purged");
        });
        return page;
    }

    /// <summary>A small dataset of its own, imported from outside the server as the CLI does.</summary>
    private async Task<(int Id, string Name)> DatasetAsync(string name)
    {
        var source = Path.Combine(server.Server.DataDirectory, $"{name}.data");
        File.WriteAllText(source, "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\t3\t102\n2\t12\t3\t103\n");
        var dataset = await server.Registry.GetRequiredService<DatasetCatalog>().ImportAsync(
            new DatasetImportRequest(source, name, new ImportOptions(InteractionFormat.MovieLens)));
        return (dataset.Id, name);
    }

    private async Task<IPage> UsersPageAsync(string user, bool allowed)
    {
        var before = server.Snapshot();
        var page = await server.OpenAsync(user, "/admin/users");
        if (allowed)
        {
            var name = $"matrix-added-by-{user}";
            await Assertions.Expect(page.Locator("#users-table")).ToContainTextAsync(Member);
            await MudInputs.FillAsync(page, "new-user-name", name);
            await MudInputs.FillAsync(page, "new-user-password", Password(name));
            await page.Locator("#add-user").ClickAsync();
            await RegistryFile.WaitUntilAsync(() => Count($"AspNetUsers WHERE UserName = '{name}'") == 1, TimeSpan.FromSeconds(30), $"user {name} added");
        }
        else
        {
            // Refused: the page says why, and no account list or form reaches a non-admin's browser.
            // (The route's own authorization sends a direct request to "Not allowed"; the page itself says "needs the Admin role".)
            await Assertions.Expect(page.Locator("#not-allowed, #needs-admin").First).ToContainTextAsync(new Regex("needs (a role you do not have|the Admin role)"));
            await Assertions.Expect(page.Locator("#users-table, #add-user-form")).ToHaveCountAsync(0);
            Assert.Equal(before, server.Snapshot());
        }
        return page;
    }

    private async Task<IPage> TokensPageAsync(string user)
    {
        var tokens = Count("ApiTokens");
        var page = await server.OpenAsync(user, "/account/tokens");
        var name = $"matrix token of {user}";
        await MudInputs.FillAsync(page, "token-name", name);
        await page.Locator("#create-token").ClickAsync();
        await Assertions.Expect(page.Locator("#token-secret-value")).ToHaveTextAsync(new Regex("^plaw_"));
        Assert.Equal(tokens + 1, Count("ApiTokens"));
        Assert.Equal(1, Count($"ApiTokens t JOIN AspNetUsers u ON u.Id = t.UserId WHERE u.UserName = '{user}' AND t.Name = '{name}'"));
        return page;
    }

    /// <summary>
    /// Allowed: click and wait for <paramref name="done"/>. Refused: the button is disabled and says which role it needs;
    /// then the button is enabled in the page and clicked anyway, and the registry must be as it was.
    /// </summary>
    private async Task ActOrRefuseAsync(IPage page, ILocator button, bool allowed, string needs, Func<Task> done, string? changed = null)
    {
        var before = server.Snapshot();
        if (allowed)
        {
            await button.ClickAsync();
            await done();
            if (changed is not null) Assert.NotEqual(before.Split('\n').First(l => l.StartsWith(changed, StringComparison.Ordinal)),
                server.Snapshot().Split('\n').First(l => l.StartsWith(changed, StringComparison.Ordinal)));
            return;
        }
        await AssertDisabledAsync(button, needs);
        await button.EvaluateAsync("b => { b.removeAttribute('disabled'); b.classList.remove('mud-button-disabled', 'mud-disabled'); b.click(); }");
        // Nothing to wait for when nothing happens: give the circuit a moment to process the click, then compare.
        await page.WaitForTimeoutAsync(1_000);
        Assert.Equal(before, server.Snapshot());
    }

    /// <summary>
    /// The handler's own check, which a disabled button keeps a browser from reaching: a member opens New run, is demoted to
    /// viewer while the page stays open (its button still enabled), and clicks. The server reads the role at the click and
    /// refuses; nothing is queued.
    /// </summary>
    [Fact]
    public async Task AMemberDemotedWhileAPageIsOpenIsRefusedByTheServerOnTheNextClick()
    {
        const string user = "demoted-member";
        var accounts = server.Accounts<UserAccounts>();
        await accounts.CreateAsync(user, Roles.Member, Password(user));
        var page = await server.OpenAsync(user, "/runs/new");
        var queue = page.Locator("#queue-run");
        await Assertions.Expect(queue).ToBeEnabledAsync();

        await accounts.SetRoleAsync(user, Roles.Viewer);
        var before = server.Snapshot();
        await queue.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "This needs the Member role" })).ToBeVisibleAsync();
        Assert.Equal(before, server.Snapshot());
        Assert.EndsWith("/runs/new", page.Url);
        await page.CloseAsync();
    }

    /// <summary>Disabled, inside a gate that names the role, whose tooltip (on hover) says so.</summary>
    private static async Task AssertDisabledAsync(ILocator button, string needs)
    {
        await Assertions.Expect(button).ToBeDisabledAsync();
        var gate = button.Locator("xpath=ancestor::*[@data-needs-role][1]");
        await Assertions.Expect(gate).ToHaveAttributeAsync("data-needs-role", needs);
        await gate.HoverAsync();
        await Assertions.Expect(button.Page.Locator(".mud-tooltip", new() { HasText = $"This needs the {needs} role" }).First).ToBeVisibleAsync();
    }

    private long Count(string tableAndWhere) => RegistryFile.Scalar<long>(server.Server.RegistryPath, $"SELECT COUNT(*) FROM {tableAndWhere}");

    private string Status(int run) => RegistryFile.Scalar<string>(server.Server.RegistryPath, $"SELECT Status FROM Runs WHERE Id = {run}");

    private string Tags(int run) => RegistryFile.Scalar<string>(server.Server.RegistryPath, $"SELECT Tags FROM Runs WHERE Id = {run}");

    private async Task<int> DemoAsync() => (await server.Registry.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!.Id;

    private async Task<int> QueueAsync()
    {
        var run = await server.Registry.GetRequiredService<RunCatalog>().QueueAsync(await DemoAsync(),
            new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32 });
        return run.Id;
    }
}
