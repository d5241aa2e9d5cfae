using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>Studies, live runs, cancel and shared run links in headless Chromium against the real dashboard and its registry file.</summary>
public sealed class RunPagesTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private T Scalar<T>(string sql) => RegistryFile.Scalar<T>(dashboard.Server.RegistryPath, sql);

    [Fact]
    public async Task RunsExportStreamsCsvAndJson()
    {
        using var http = new HttpClient();
        var csv = await http.GetStringAsync($"{dashboard.Server.BaseUrl}/api/runs.csv");
        Assert.StartsWith("id,name,study,dataset,model,layers,dim", csv);
        Assert.Equal(Scalar<long>("SELECT COUNT(*) FROM Runs") + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var json = await http.GetStringAsync($"{dashboard.Server.BaseUrl}/api/runs.json");
        Assert.StartsWith("[", json);
        var missing = await http.GetAsync($"{dashboard.Server.BaseUrl}/api/runs/987654");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
