using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PLaw.Data.Import;
using PLaw.Engine.Training;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Web.Tests.Infrastructure;
using static PLaw.Web.Tests.Infrastructure.SignInServer;

namespace PLaw.Web.Tests;

/// <summary>
/// Hostile names (issue #11): HTML in a dataset, run and study name reaches a signed-in viewer's pages as text, never as
/// markup. (CSV formula cells in <c>/api/runs.csv</c> are SecurityHeadersTests.TheRunsExportNeutralisesFormulaCells.)
/// </summary>
[Collection(AccessMatrixCollection.Name)]
public sealed class AccessMatrixHostileNameTests(SignInServer server)
{
    private static string Payload(string what) => $"<img src=x class=plaw-xss onerror=\"document.title='xss'\"><b class=plaw-xss>{what}</b>";

    [Fact]
    public async Task NamesWithMarkupRenderAsTextOnEveryPageThatShowsThem()
    {
        var source = Path.Combine(server.Server.DataDirectory, "hostile.data");
        File.WriteAllText(source, "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\t3\t102\n2\t12\t3\t103\n");
        var dataset = await server.Registry.GetRequiredService<DatasetCatalog>().ImportAsync(
            new DatasetImportRequest(source, Payload("dataset"), new ImportOptions(InteractionFormat.MovieLens)));
        var runs = server.Registry.GetRequiredService<RunCatalog>();
        var (study, studyRuns) = await runs.CreateStudyAsync(Payload("study"), dataset.Id,
            new StudyGrid { Base = new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32 } });
        var run = studyRuns[0].Id;
        await runs.UpdateAsync(run, r => r.Name = Payload("run"));
        await runs.SetTagsAsync(run, "tag", Payload("note"));

        string[] paths = ["/datasets", $"/datasets/{dataset.Id}", "/runs", $"/runs/{run}", "/studies", $"/runs?study={study.Id}", $"/compare?runs={run}"];
        foreach (var path in paths)
        {
            var page = await server.OpenAsync(Viewer, path);
            var shown = path.StartsWith("/datasets", StringComparison.Ordinal) ? Payload("dataset")
                : path == "/studies" ? Payload("study") : Payload("run");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(shown);
            Assert.Equal(0, await page.Locator(".plaw-xss").CountAsync());
            Assert.NotEqual("xss", await page.TitleAsync());
            await page.CloseAsync();
        }
    }
}
