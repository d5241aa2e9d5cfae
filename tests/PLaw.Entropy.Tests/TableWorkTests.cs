namespace PLaw.Entropy.Tests;

/// <summary>
/// The table's workers are the calling thread and pool tasks it starts itself. A piece that fails must surface as its own
/// exception from <see cref="TableWork.Run"/> (not wrapped, not lost on a helper thread), with the other workers stopped
/// and finished before Run returns, so no piece writes into a table the caller has already given up on.
/// </summary>
public sealed class TableWorkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void AFailingPieceIsRethrownAsItselfAfterEveryWorkerStopped(int threads)
    {
        var work = new TableWork();
        var (started, inside) = (0, 0);
        for (var i = 0; i < 200; i++)
        {
            var piece = i;
            work.Add(200 - i, _ => // costliest first: pieces start in index order
            {
                Interlocked.Increment(ref started);
                Interlocked.Increment(ref inside);
                Thread.Sleep(1);
                if (piece == 20) throw new InvalidOperationException("piece 20 failed");
                Interlocked.Decrement(ref inside);
            });
        }

        var thrown = Assert.Throws<InvalidOperationException>(() => work.Run(threads, null, CancellationToken.None));
        Assert.Equal("piece 20 failed", thrown.Message);
        Assert.Equal(1, Volatile.Read(ref inside)); // only the failed piece never finished: no worker is still inside one
        var atReturn = Volatile.Read(ref started);
        Assert.InRange(atReturn, 21, 21 + 2 * threads); // the others stopped at their next piece
        Thread.Sleep(30);
        Assert.Equal(atReturn, Volatile.Read(ref started)); // and none starts one after Run returned
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void RunReturnsOnlyAfterAPieceRunningBesideTheFailureFinished(int threads)
    {
        // Piece 20 fails while piece 21 is running on another worker. Whichever thread ran 21, it has finished by the time
        // Run throws. (Which worker takes which piece varies, so the run is repeated.)
        for (var repeat = 0; repeat < 12; repeat++)
        {
            var (slowStarted, slowFinished) = (0, 0);
            var work = new TableWork();
            for (var i = 0; i < 40; i++)
            {
                var piece = i;
                work.Add(40 - i, _ =>
                {
                    if (piece == 21)
                    {
                        Volatile.Write(ref slowStarted, 1);
                        Thread.Sleep(60);
                        Volatile.Write(ref slowFinished, 1);
                    }
                    else if (piece == 20)
                    {
                        SpinWait.SpinUntil(() => Volatile.Read(ref slowStarted) == 1, 1000);
                        throw new InvalidOperationException("piece 20 failed");
                    }
                });
            }
            Assert.Throws<InvalidOperationException>(() => work.Run(threads, null, CancellationToken.None));
            Assert.Equal(Volatile.Read(ref slowStarted), Volatile.Read(ref slowFinished));
        }
    }

    [Fact]
    public void EveryPieceRunsOnceAndProgressEndsAtOne()
    {
        var work = new TableWork();
        var runs = new int[500];
        for (var i = 0; i < runs.Length; i++)
        {
            var piece = i;
            work.Add(1 + i % 7, _ => Interlocked.Increment(ref runs[piece]));
        }
        var reports = new List<double>();
        work.Run(2, new Recorder(reports), CancellationToken.None);

        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal(1, reports[^1], 12);
        Assert.Equal(reports.Order(), reports);
    }

    private sealed class Recorder(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
