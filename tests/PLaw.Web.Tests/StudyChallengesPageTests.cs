using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The study view of the challenges (/studies/{id}/challenges) on a study of two tiny finished runs, in Chromium.</summary>
public sealed class StudyChallengesPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private ServiceProvider Registry() => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();

    [Fact]
    public async Task ComputingTheMissingReportsShowsEachChallengeAgainstSize()
    {
        int studyId;
        IReadOnlyList<int> runIds;
        await using (var services = Registry())
        {
            var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                       ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
            var grid = new StudyGrid
            {
                Base = new RunOptions { Layers = 1, MaxLength = 20, Epochs = 1, BatchSize = 64, Threads = 2, NewUserShare = 0.2 },
                Dims = [8, 16],
            };
            var (study, runs) = await services.GetRequiredService<RunCatalog>().CreateStudyAsync($"sizes-{Guid.NewGuid():N}", demo.Id, grid);
            (studyId, runIds) = (study.Id, runs.Select(r => r.Id).ToList());
        }
        var ids = string.Join(",", runIds);
        await RegistryFile.WaitWhileTrainingMovesAsync(dashboard.Server.RegistryPath,
            () => RegistryFile.Scalar<long>(dashboard.Server.RegistryPath, $"SELECT COUNT(*) FROM Runs WHERE Id IN ({ids}) AND Status = 'Completed'") == 2,
            TimeSpan.FromMinutes(3), $"runs {ids} to complete");

        var studies = await dashboard.OpenAsync("/studies");
        await Assertions.Expect(studies.Locator($".study-challenges-link[data-study-id='{studyId}']")).ToHaveAttributeAsync("href", $"/studies/{studyId}/challenges");

        var page = await dashboard.OpenAsync($"/studies/{studyId}/challenges");
        var section = page.Locator("#study-challenges");
        await Assertions.Expect(section).ToHaveAttributeAsync("data-missing", "2");
        await Assertions.Expect(page.Locator("#challenges-none")).ToBeVisibleAsync();
        await page.Locator("#challenges-compute-missing").ClickAsync();
        await Assertions.Expect(section).ToHaveAttributeAsync("data-state", "complete", new() { Timeout = 180_000 });
        await Assertions.Expect(section).ToHaveAttributeAsync("data-reports", "2");

        foreach (var chart in new[] { "longtail", "coldstart", "robustness", "trajectory" })
        {
            await Assertions.Expect(page.Locator($"[data-chart='{chart}']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#challenge-{chart} tbody tr")).ToHaveCountAsync(2); // one row per size
        }
        await Assertions.Expect(page.Locator("#challenge-longtail thead th")).ToHaveTextAsync(["Family and size", "Runs", "G1", "G2", "G3", "G4"]);
        await Assertions.Expect(page.Locator("#challenge-study-summary li").First).ToContainTextAsync("From the smallest to the largest SASRec");
        await Assertions.Expect(page.Locator("#challenge-multidomain-missing")).ToContainTextAsync("This dataset has no item domains");
        await Accessibility.AssertCleanAsync(page, "the study's challenges");

        // The filters live in the link: it opens the same view for whoever it is shared with.
        var shared = await dashboard.OpenAsync($"/studies/{studyId}/challenges?metric=hr&noise=remove&family=SASRec");
        await Assertions.Expect(shared.Locator("#challenge-longtail-title")).ToContainTextAsync("HR@10");
        await Assertions.Expect(shared.Locator("#challenge-robustness-title")).ToContainTextAsync("'remove'");
        await Assertions.Expect(shared.Locator("#challenge-robustness thead th")).ToHaveTextAsync(["Family and size", "Runs", "remove p=0.1", "remove p=0.2", "remove p=0.3"]);

        // The Run page shows the stored report without computing it again.
        var run = await dashboard.OpenAsync($"/runs/{runIds[0]}");
        await Assertions.Expect(run.Locator("#challenges")).ToHaveAttributeAsync("data-state", "done");
        await Assertions.Expect(run.Locator("#challenges-computed")).ToContainTextAsync("Computed");
        await Assertions.Expect(run.Locator("#challenge-longtail tbody tr")).ToHaveCountAsync(4);
    }
}
