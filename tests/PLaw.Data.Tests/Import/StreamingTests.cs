using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class StreamingTests
{
    private static readonly ImportOptions KuaiRand =
        new(InteractionFormat.Csv, new CsvColumns("user_id", "video_id", Timestamp: "time_ms"));

    /// <summary>Collects reports on the calling thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    private sealed class Recorder(Action<ImportProgress>? onReport = null) : IProgress<ImportProgress>
    {
        public List<ImportProgress> Reports { get; } = [];

        public void Report(ImportProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void ImportingAGeneratedLogAllocatesFarLessThanItsText()
    {
        const long lines = 2_000_000;
        var textBytes = MeasureLength(new SyntheticLogStream(lines, users: 20_000, items: 5_000));
        Assert.True(textBytes > 140_000_000, $"text is only {textBytes} bytes");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = DatasetImporter.Import(new SyntheticLogStream(lines, users: 20_000, items: 5_000), "synthetic.csv", KuaiRand);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(lines, result.Statistics.Lines);
        Assert.Equal(lines, result.Sequences.InteractionCount);
        Assert.Equal(20_000, result.Sequences.UserCount);
        Assert.Equal(5_000, result.Sequences.ItemCount);
        // A string per line alone would cost 2 bytes per char plus a header: more than twice the text. The importer's
        // floor is 28 bytes per interaction: 16 in the raw columns (user, item, time) and 12 in the sequences (item, time).
        Assert.True(allocated < lines * 36, $"allocated {allocated / (double)lines:F1} bytes per interaction");
        Assert.True(allocated < textBytes / 2, $"allocated {allocated:N0} bytes for {textBytes:N0} bytes of text");
    }

    private static long MeasureLength(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0) total += n;
        return total;
    }

    [Fact]
    public void ProgressIsReportedEvery64KLinesAndAtTheEnd()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "log.csv");
        using (var output = File.Create(file))
            new SyntheticLogStream(200_000, users: 100, items: 50).CopyTo(output);

        var recorder = new Recorder();
        DatasetImporter.Import(file, KuaiRand, recorder);

        var total = new FileInfo(file).Length;
        Assert.Equal([65_536L, 131_072, 196_608, 200_001], recorder.Reports.Select(r => r.Lines));
        Assert.All(recorder.Reports, r => Assert.Equal(total, r.TotalBytes));
        Assert.Equal(total, recorder.Reports[^1].BytesRead);
        Assert.True(recorder.Reports.Zip(recorder.Reports.Skip(1)).All(p => p.First.BytesRead <= p.Second.BytesRead));
    }

    [Fact]
    public void StreamOfUnknownLengthReportsZeroTotal()
    {
        var recorder = new Recorder();
        DatasetImporter.Import(new SyntheticLogStream(70_000, users: 10, items: 10), "pipe", KuaiRand, recorder);
        Assert.All(recorder.Reports, r => Assert.Equal(0, r.TotalBytes));
        Assert.True(recorder.Reports[^1].BytesRead > 70_000 * 50);
    }

    [Fact]
    public void CancellationDuringReadingStopsTheImport()
    {
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(_ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DatasetImporter.Import(new SyntheticLogStream(1_000_000, users: 10, items: 10), "pipe", KuaiRand, recorder, cts.Token));
        Assert.Single(recorder.Reports);
    }

    [Fact]
    public void AlreadyCancelledTokenThrowsEvenForASmallFile()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("seq.txt", "1 2\n");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec), ct: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void LinesLongerThanTheReadBufferAreRead()
    {
        using var dir = new TempDirectory();
        var filler = new string('x', 200_000);
        var file = dir.Write("wide.csv", $"u,text,i\na,{filler},p\nb,{filler},q\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("u", "i")));
        SequenceAssert.Equal([[1], [2]], result.Sequences);
    }
}
