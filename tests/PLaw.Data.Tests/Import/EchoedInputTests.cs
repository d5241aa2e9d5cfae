using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

/// <summary>What an import error quotes from the file is short and carries no raw control characters.</summary>
public sealed class EchoedInputTests
{
    private static DataFormatException Fails(string name, string content, ImportOptions options)
    {
        using var dir = new TempDirectory();
        var file = dir.Write(name, content);
        return Assert.Throws<DataFormatException>(() => DatasetImporter.Import(file, options));
    }

    [Fact]
    public void AWideHeaderIsCutAndItsLengthStated()
    {
        // 720 kB of header (under the line bound): 65,536 ten-character column names, none of them the asked-for "user".
        var header = string.Join(",", Enumerable.Range(0, 1 << 16).Select(i => $"c{i:D8}"));
        var e = Fails("wide.csv", header + "\n1,2\n", new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", Delimiter: ',')));
        Assert.True(e.Message.Length < 1_500, $"the message is {e.Message.Length:N0} characters long");
        Assert.Contains($"({header.Length:N0} characters, the first 120 shown)", e.Message, StringComparison.Ordinal);
        Assert.Contains("65,536 columns in all", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATenMegabyteHeaderStopsAtTheLineBoundWithoutBeingEchoed()
    {
        var header = string.Join(",", Enumerable.Range(0, 1 << 20).Select(i => $"c{i:D8}"));
        var e = Fails("wide.csv", header + "\n1,2\n", new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", Delimiter: ',')));
        Assert.Equal(1, e.Line);
        Assert.True(e.Message.Length < 1_500, $"the message is {e.Message.Length:N0} characters long");
        Assert.Contains("1,048,576", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersInABadLineAreEscaped()
    {
        // A line that would clear the screen and retitle the terminal if printed as it is.
        var e = Fails("evil.txt", "1 2\n\u001b[2J\u001b]0;pwned\u0007 3\n", new ImportOptions(InteractionFormat.Sasrec));
        Assert.Equal(2, e.Line);
        Assert.DoesNotContain(e.Message, char.IsControl);
        Assert.Contains("\\x1B[2J\\x1B]0;pwned\\x07", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BidiOverridesAndLongNamesAreEscapedAndCut()
    {
        Assert.Equal("abc\\u202Edef", EchoedText.Of("abc\u202Edef"));
        Assert.Equal("tab\\there", EchoedText.Of("tab\there"));
        Assert.Equal("aaaaa… (9 characters, the first 5 shown)", EchoedText.Of("aaaaaaaaa", 5));
        Assert.Equal("short", EchoedText.Of("short", 5));
    }
}
