using System.Text;

namespace PLaw.Cli.Tests;

/// <summary>A fresh registry folder holding one small dataset, "small": 30 users with 12 chronological items each over 20 items.</summary>
internal static class SmallRegistry
{
    /// <summary>Imports the dataset through <c>plaw import</c> into a new temporary folder; returns the registry's data folder.</summary>
    public static async Task<string> CreateAsync(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        var file = Path.Combine(folder, "small.txt");
        var lines = new StringBuilder();
        for (var user = 1; user <= 30; user++)
        for (var t = 0; t < 12; t++)
            lines.Append(user).Append(' ').Append(1 + (user * 7 + t * 3) % 20).Append('\n');
        File.WriteAllText(file, lines.ToString());
        var data = Path.Combine(folder, "data");
        var import = await Plaw.RunAsync("import", file, "--format", "sasrec", "--name", "small", "--data-dir", data, "--no-entropy");
        Assert.True(import.ExitCode == 0, import.Error);
        return data;
    }
}
