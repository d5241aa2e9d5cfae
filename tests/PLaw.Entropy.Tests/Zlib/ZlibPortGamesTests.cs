using System.Buffers.Binary;
using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Tests.Common;

namespace PLaw.Entropy.Tests.Zlib;

/// <summary>The port's compressed length equals libz's on the Amazon Games windows and chunks, written as CompressionRatio writes them.</summary>
public sealed class ZlibPortGamesTests
{
    private static readonly Lazy<SequenceSet> Games = new(() =>
    {
        RepoPaths.RequireSharedData();
        return DatasetImporter.Import(RepoPaths.AmazonGames, new ImportOptions(InteractionFormat.Sasrec)).Sequences;
    });

    [Theory, InlineData(25), InlineData(50), InlineData(100), InlineData(200)]
    public void EveryUsersNewestWindow(int maxLength)
    {
        var set = Games.Value;
        using var oracle = new ZlibOracle();
        for (var u = 0; u < set.UserCount; u++)
            oracle.AssertSameLength(BigEndian(set.Window(u, maxLength)), $"user {u}, L={maxLength}");
        Assert.Equal(set.UserCount, oracle.Checked);
    }

    [Theory, InlineData(25), InlineData(50), InlineData(100), InlineData(200)]
    public void EveryChunkOf10000Ids(int maxLength)
    {
        var set = Games.Value;
        var stream = new List<int>();
        for (var u = 0; u < set.UserCount; u++) stream.AddRange(set.Window(u, maxLength).ToArray());
        var size = EntropyTableOptions.Default.ChunkTokens;
        using var oracle = new ZlibOracle();
        for (var start = 0; start < stream.Count; start += size)
        {
            var chunk = stream.GetRange(start, Math.Min(size, stream.Count - start)).ToArray();
            oracle.AssertSameLength(BigEndian(chunk), $"chunk at {start}, L={maxLength}");
        }
        Assert.True(oracle.Checked >= 26);
    }

    private static byte[] BigEndian(ReadOnlySpan<int> ids)
    {
        var bytes = new byte[4 * ids.Length];
        for (var i = 0; i < ids.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), ids[i]);
        return bytes;
    }
}
