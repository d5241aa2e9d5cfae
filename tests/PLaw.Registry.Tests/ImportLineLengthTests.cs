using Microsoft.EntityFrameworkCore;
using PLaw.Data.Import;
using PLaw.Registry.Datasets;

namespace PLaw.Registry.Tests;

/// <summary>A file with no newline in sight is refused at its line, with bounded memory (issue #11 probe item 3).</summary>
public sealed class ImportLineLengthTests
{
    [Theory]
    [InlineData(InteractionFormat.MovieLens, 0)]
    [InlineData(InteractionFormat.Sasrec, 2)]
    public async Task AnOverlongLineIsRefusedWithFileAndLine(InteractionFormat format, int goodLines)
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = Path.Combine(registry.Directory, "one-line.txt");
        await using (var writer = new StreamWriter(path))
        {
            for (var i = 0; i < goodLines; i++)
                await writer.WriteAsync(format == InteractionFormat.Sasrec ? $"{i + 1} {i + 10}\n" : $"{i + 1}\t{i + 10}\t5\t{100 + i}\n");
            // 3 million characters and no newline: three times the longest line read.
            await writer.WriteAsync(new string('7', 3_000_000));
        }

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            registry.Get<DatasetCatalog>().ImportAsync(new DatasetImportRequest(path, "one-line", new ImportOptions(format))));
        // The same read on this thread, to count what it allocates.
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DataFormatException>(() => DatasetImporter.Import(path, new ImportOptions(format)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(goodLines + 1, error.Line);
        Assert.StartsWith($"{path}:{goodLines + 1}: expected lines of at most 1,048,576 characters", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, $"The message carries the line: {error.Message.Length} characters.");
        // The reader stops at its 1 Mi-character buffer (2 MB, 4 MB with the smaller ones it grew from) instead of growing
        // to hold the whole line (an 8 MB buffer, 16 MB in all, here).
        Assert.True(allocated < 6_000_000, $"Reading allocated {allocated:N0} bytes.");
        await using var db = registry.OpenContext();
        Assert.Equal(0, await db.Datasets.CountAsync());
    }
}
