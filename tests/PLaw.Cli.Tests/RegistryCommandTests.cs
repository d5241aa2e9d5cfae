using System.Text.Json;

namespace PLaw.Cli.Tests;

public sealed class RegistryCommandTests
{
    [Fact]
    public async Task ImportedDatasetIsListedWithItsCounts()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-registry-").FullName;
        var file = Path.Combine(folder, "ratings.csv");
        File.WriteAllText(file, "userId,movieId,rating,timestamp\n1,10,4.0,100\n1,11,3.5,101\n2,10,5.0,99\n2,12,1.0,98\n");
        var data = Path.Combine(folder, "data");

        var import = await Plaw.RunAsync("import", file, "--format", "movielens", "--name", "tiny-csv", "--data-dir", data, "--json");
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.True(File.Exists(Path.Combine(data, "registry.db")));

        var list = await Plaw.RunAsync("datasets", "--data-dir", data, "--json");
        Assert.True(list.ExitCode == 0, list.Error);
        using var json = JsonDocument.Parse(list.Out);
        var dataset = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("tiny-csv", dataset.GetProperty("name").GetString());
        Assert.Equal(2, dataset.GetProperty("users").GetInt32());
        Assert.Equal(3, dataset.GetProperty("items").GetInt32());
        Assert.Equal(4, dataset.GetProperty("interactions").GetInt64());

        var again = await Plaw.RunAsync("import", file, "--format", "movielens", "--name", "tiny-csv", "--data-dir", data);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Error);
    }
}
