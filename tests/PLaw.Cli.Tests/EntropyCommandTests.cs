using System.Text.Json;
using PLaw.Tests.Common;

namespace PLaw.Cli.Tests;

public sealed class EntropyCommandTests
{
    private static readonly string[] RequiredFields =
    [
        "maxLen", "users", "items", "tokens", "meanLength", "apen", "realEntropy", "realEntropyReference", "shannon",
        "compressionRatio", "tokensPerApen", "allDistinctShare", "chunkedShannon", "chunkedCompressionRatio", "conditionalEntropy",
    ];

    private static string WriteTemp(string name, string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-").FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task JsonIsOneCamelCaseObjectPerLength()
    {
        var file = WriteTemp("seq.txt", string.Join('\n', Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(0, 40).Select(t => $"{u} {(u + t * t) % 17 + 1}"))));
        var result = await Plaw.RunAsync("entropy", file, "--format", "sasrec", "--max-len", "10,20", "--json");
        Assert.True(result.ExitCode == 0, result.Error);

        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Equal([10, 20], json.RootElement.EnumerateArray().Select(e => e.GetProperty("maxLen").GetInt32()));
        foreach (var row in json.RootElement.EnumerateArray())
        {
            foreach (var field in RequiredFields)
                Assert.True(row.TryGetProperty(field, out _), $"missing {field}");
            Assert.Equal(30, row.GetProperty("users").GetInt32());
        }
        Assert.Equal(300, json.RootElement[0].GetProperty("tokens").GetInt64());
    }

    [Fact]
    public async Task MovieLens100KTableHasEveryUserAndSaysItemsNeverRepeat()
    {
        RepoPaths.RequireSharedData();
        var result = await Plaw.RunAsync("entropy", RepoPaths.MovieLens100K, "--format", "movielens", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([25, 50, 100, 200], rows.Select(r => r.GetProperty("maxLen").GetInt32()));
        Assert.All(rows, r => Assert.Equal(943, r.GetProperty("users").GetInt32()));
        Assert.All(rows, r => Assert.Equal(1.0, r.GetProperty("allDistinctShare").GetDouble()));
        var data = PLaw.Data.Import.DatasetImporter.Import(RepoPaths.MovieLens100K,
            new PLaw.Data.Import.ImportOptions(PLaw.Data.Import.InteractionFormat.MovieLens)).Sequences;
        long tokens = 0;
        for (var u = 0; u < data.UserCount; u++) tokens += Math.Min(25, data.Length(u));
        Assert.Equal(tokens, rows[0].GetProperty("tokens").GetInt64());
    }

    [Fact]
    public async Task TableOutputNamesTheColumnsAndExplainsTheShortOnes()
    {
        var file = WriteTemp("seq.txt", "1 1\n1 2\n1 1\n1 2\n2 3\n2 3\n2 3\n");
        var result = await Plaw.RunAsync("entropy", file, "--format", "sasrec", "--max-len", "5");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("ApEn", result.Out);
        Assert.Contains("D′", result.Out);
        Assert.Contains("D′: tokens / ApEn", result.Out); // the legend below the table
        Assert.Contains("--wide", result.Out);
        Assert.DoesNotContain("chunk Shannon", result.Out);

        var wide = await Plaw.RunAsync("entropy", file, "--format", "sasrec", "--max-len", "5", "--wide");
        Assert.True(wide.ExitCode == 0, wide.Error);
        foreach (var header in new[] { "items", "mean len", "real H (ref)", "Shannon", "compr.", "tokens/ApEn", "all-distinct", "chunk Shannon", "chunk compr.", "H(next|cur)" })
            Assert.Contains(header, wide.Out);
    }

    [Fact]
    public async Task MovieLens100KTableFitsOneHundredColumnsByDefaultAndWideHasEveryColumn()
    {
        RepoPaths.RequireSharedData();
        // Plaw.RunAsync redirects standard output, where the CLI lays out 240 columns: the 100 is the table's own.
        var result = await Plaw.RunAsync("entropy", RepoPaths.MovieLens100K, "--format", "movielens");
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, line => Assert.True(line.Length <= 100, $"{line.Length} characters: {line}"));
        // Four rows (L = 25, 50, 100, 200), with the measures that matter and the never-repeat note.
        Assert.Equal(4, lines.Count(l => l.StartsWith("│", StringComparison.Ordinal) && l.Contains(" 943 ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("ApEn") && l.Contains("D′") && l.Contains("H(n|c)"));
        Assert.Contains("never repeat an item", result.Out);

        AssertBoxed(lines);

        var wide = await Plaw.RunAsync("entropy", RepoPaths.MovieLens100K, "--format", "movielens", "--wide");
        Assert.True(wide.ExitCode == 0, wide.Error);
        var header = wide.Out.Split('\n').Single(l => l.Contains("tokens/ApEn", StringComparison.Ordinal));
        Assert.True(header.TrimEnd().Length > 100, "the wide table is the full one");
        Assert.Equal(15, header.Trim().Trim('│').Split('│').Length);
        AssertBoxed(wide.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList());
    }

    /// <summary>The table as Spectre's rounded border draws it: every line equally long, the column rules at the same places,
    /// each cell right-aligned with one space either side.</summary>
    private static void AssertBoxed(IReadOnlyList<string> lines)
    {
        var top = lines.ToList().FindIndex(l => l.StartsWith('╭'));
        var bottom = lines.ToList().FindIndex(l => l.StartsWith('╰'));
        Assert.True(top >= 0 && bottom > top + 3, "a table with a header and rows");
        var table = lines.Skip(top).Take(bottom - top + 1).ToList();
        Assert.All(table, l => Assert.Equal(table[0].Length, l.Length));
        Assert.EndsWith("╮", table[0]);
        Assert.StartsWith("├", table[2]);
        var rules = Enumerable.Range(0, table[0].Length).Where(i => table[0][i] is '┬' or '╭' or '╮').ToList();
        foreach (var line in table)
        {
            Assert.All(rules, i => Assert.Contains(line[i], "╭┬╮│├┼┤╰┴╯"));
            if (!line.StartsWith('│')) continue;
            foreach (var (from, to) in rules.Zip(rules.Skip(1)))
            {
                var cell = line[(from + 1)..to];
                Assert.True(cell.StartsWith(' ') && cell.EndsWith(' ') && !cell.EndsWith("  ", StringComparison.Ordinal) && cell.Trim().Length > 0,
                    $"cell '{cell}' in: {line}");
            }
        }
    }

    [Fact]
    public async Task ABadLineIsReportedWithFileAndLineAndExitCodeTwo()
    {
        var file = WriteTemp("bad.data", "1\t10\t5\t100\n1\t11\t4\t101\n1\t12\tx\t102\n");
        var result = await Plaw.RunAsync("entropy", file, "--format", "movielens", "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.data:3", result.Error);
        Assert.Equal("", result.Out.Trim());
    }

    [Fact]
    public async Task AnUnknownFormatListsTheValidOnes()
    {
        var file = WriteTemp("x.txt", "1 1\n");
        var result = await Plaw.RunAsync("entropy", file, "--format", "parquet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sasrec", result.Error);
    }

    [Fact]
    public async Task ABadLengthListIsRefused()
    {
        var file = WriteTemp("x.txt", "1 1\n1 2\n");
        var result = await Plaw.RunAsync("entropy", file, "--format", "sasrec", "--max-len", "25,abc");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'abc'", result.Error);
    }
}
