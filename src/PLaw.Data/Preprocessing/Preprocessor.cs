using System.Runtime.CompilerServices;
using PLaw.Data.Sequences;

namespace PLaw.Data.Preprocessing;

/// <summary>
/// Turns raw interactions into sequences, in the order of <see cref="PreprocessOptions"/>: duplicates
/// (after the importer's rating threshold) → k-core to a fixed point → stable chronological sort per user → dense
/// re-indexing (users 0..U-1 by first appearance, items 1..I by first appearance in the sorted sequences) →
/// keep the last MaxLength items. Users left empty disappear.
/// </summary>
/// <remarks>
/// Work happens in place on one user-grouped copy: user <c>u</c> owns <c>[start[u], start[u] + length[u])</c> and
/// every filter compacts within that range, so no step allocates per interaction. Items are numbered before
/// truncation, so every MaxLength shares the same item ids and ItemCount.
/// </remarks>
public static class Preprocessor
{
    public static PreprocessResult Apply(InteractionTable table, PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var (start, length, items, timestamps, labels) = GroupByUser(table);
        var duplicates = options.RemoveDuplicates ? RemoveDuplicates(start, length, items, timestamps, labels) : 0;
        var (usersRemoved, itemsRemoved) = options.UserCore > 0 || options.ItemCore > 0
            ? KCore(start, length, items, timestamps, labels, table.ItemCount, options.UserCore, options.ItemCore)
            : (0, 0);
        if (timestamps is not null)
            SortByTime(start, length, items, timestamps, labels);
        var (itemCount, rawItemOf) = Reindex(start, length, items, table.ItemCount);
        if (options.MaxLength is { } maxLength)
            KeepNewest(start, length, maxLength);
        var sequences = Assemble(start, length, items, timestamps, labels, itemCount);
        return new PreprocessResult(sequences, duplicates, usersRemoved, itemsRemoved, rawItemOf);
    }

    /// <summary>Stable counting sort by user: each user's interactions stay in file order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Start, int[] Length, int[] Items, long[]? Timestamps, bool[]? Labels) GroupByUser(InteractionTable table)
    {
        var start = new int[table.UserCount];
        var length = new int[table.UserCount];
        for (var b = 0; b < table.BlockCount; b++)
            foreach (var u in table.Users(b))
                length[u]++;
        for (int u = 0, total = 0; u < start.Length; u++)
        {
            start[u] = total;
            total += length[u];
        }

        var items = new int[table.Count];
        var timestamps = table.HasTimestamps ? new long[table.Count] : null;
        var labels = table.HasLabels ? new bool[table.Count] : null;
        var cursor = (int[])start.Clone();
        for (var b = 0; b < table.BlockCount; b++)
        {
            var users = table.Users(b);
            var blockItems = table.Items(b);
            var blockTimes = table.Timestamps(b);
            var blockLabels = table.Labels(b);
            for (var i = 0; i < users.Length; i++)
            {
                var p = cursor[users[i]]++;
                items[p] = blockItems[i];
                if (timestamps is not null)
                    timestamps[p] = blockTimes[i];
                if (labels is not null)
                    labels[p] = blockLabels[i];
            }
        }
        return (start, length, items, timestamps, labels);
    }

    /// <summary>Keeps the first of each repeated (item, timestamp) within a user.</summary>
    private static long RemoveDuplicates(int[] start, int[] length, int[] items, long[]? timestamps, bool[]? labels)
    {
        var seen = new HashSet<(int Item, long Timestamp)>();
        long removed = 0;
        for (var u = 0; u < start.Length; u++)
        {
            if (length[u] < 2) continue;
            seen.Clear();
            var write = start[u];
            for (int read = start[u], end = start[u] + length[u]; read < end; read++)
            {
                var time = timestamps is null ? 0 : timestamps[read];
                if (!seen.Add((items[read], time))) continue;
                items[write] = items[read];
                if (timestamps is not null) timestamps[write] = time;
                if (labels is not null) labels[write] = labels[read];
                write++;
            }
            removed += start[u] + length[u] - write;
            length[u] = write - start[u];
        }
        return removed;
    }

    /// <summary>
    /// Drops users with fewer than <paramref name="userCore"/> interactions and items with fewer than
    /// <paramref name="itemCore"/>, both judged on the degrees at the start of a pass, until a pass removes nothing:
    /// then every remaining user and item meets its core.
    /// </summary>
    private static (int UsersRemoved, int ItemsRemoved) KCore(
        int[] start, int[] length, int[] items, long[]? timestamps, bool[]? labels, int itemCount, int userCore, int itemCore)
    {
        var degree = new int[itemCount];
        var nextDegree = new int[itemCount];
        for (var u = 0; u < start.Length; u++)
            foreach (var item in items.AsSpan(start[u], length[u]))
                degree[item]++;
        var usersBefore = CountPositive(length);
        var itemsBefore = CountPositive(degree);

        bool removedAny;
        do
        {
            removedAny = false;
            Array.Clear(nextDegree);
            for (var u = 0; u < start.Length; u++)
            {
                if (length[u] == 0) continue;
                if (length[u] < userCore)
                {
                    length[u] = 0;
                    removedAny = true;
                    continue;
                }
                var write = start[u];
                for (int read = start[u], end = start[u] + length[u]; read < end; read++)
                {
                    var item = items[read];
                    if (degree[item] < itemCore) continue;
                    items[write] = item;
                    if (timestamps is not null) timestamps[write] = timestamps[read];
                    if (labels is not null) labels[write] = labels[read];
                    nextDegree[item]++;
                    write++;
                }
                removedAny |= write - start[u] != length[u];
                length[u] = write - start[u];
            }
            (degree, nextDegree) = (nextDegree, degree);
        } while (removedAny);

        return (usersBefore - CountPositive(length), itemsBefore - CountPositive(degree));
    }

    private static int CountPositive(int[] counts)
    {
        var n = 0;
        foreach (var c in counts)
            if (c > 0) n++;
        return n;
    }

    /// <summary>Stable sort of each user's interactions by timestamp: ties keep file order.</summary>
    private static void SortByTime(int[] start, int[] length, int[] items, long[] timestamps, bool[]? labels)
    {
        TimedPosition[] order = [];
        int[] sortedItems = [];
        bool[] sortedLabels = [];
        for (var u = 0; u < start.Length; u++)
        {
            var times = timestamps.AsSpan(start[u], length[u]);
            if (IsNonDecreasing(times)) continue;
            var userItems = items.AsSpan(start[u], length[u]);
            if (order.Length < times.Length)
            {
                order = new TimedPosition[times.Length];
                sortedItems = new int[times.Length];
                sortedLabels = new bool[times.Length];
            }
            var o = order.AsSpan(0, times.Length);
            for (var i = 0; i < o.Length; i++)
                o[i] = new TimedPosition(times[i], i);
            o.Sort();
            for (var i = 0; i < o.Length; i++)
            {
                sortedItems[i] = userItems[o[i].Position];
                times[i] = o[i].Timestamp;
                if (labels is not null) sortedLabels[i] = labels[start[u] + o[i].Position];
            }
            sortedItems.AsSpan(0, o.Length).CopyTo(userItems);
            if (labels is not null) sortedLabels.AsSpan(0, o.Length).CopyTo(labels.AsSpan(start[u], length[u]));
        }
    }

    private static bool IsNonDecreasing(ReadOnlySpan<long> times)
    {
        for (var i = 1; i < times.Length; i++)
            if (times[i] < times[i - 1])
                return false;
        return true;
    }

    /// <summary>Timestamp, then original position: a total order, so an unstable sort gives the stable result.</summary>
    private readonly record struct TimedPosition(long Timestamp, int Position) : IComparable<TimedPosition>
    {
        public int CompareTo(TimedPosition other)
        {
            var byTime = Timestamp.CompareTo(other.Timestamp);
            return byTime != 0 ? byTime : Position.CompareTo(other.Position);
        }
    }

    /// <summary>Items renumbered 1..I by first appearance, users in order; returns I and each new id's raw index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int ItemCount, int[] RawItemOf) Reindex(int[] start, int[] length, int[] items, int rawItemCount)
    {
        var map = new int[rawItemCount];
        var rawOf = new int[rawItemCount + 1];
        var next = 0;
        for (var u = 0; u < start.Length; u++)
            foreach (ref var item in items.AsSpan(start[u], length[u]))
            {
                if (map[item] == 0)
                {
                    map[item] = ++next;
                    rawOf[next] = item;
                }
                item = map[item];
            }
        return (next, rawOf[..(next + 1)]);
    }

    private static void KeepNewest(int[] start, int[] length, int maxLength)
    {
        for (var u = 0; u < start.Length; u++)
            if (length[u] > maxLength)
            {
                start[u] += length[u] - maxLength;
                length[u] = maxLength;
            }
    }

    /// <summary>CSR arrays of the non-empty users; the grouped arrays are reused when nothing was removed.</summary>
    private static SequenceSet Assemble(int[] start, int[] length, int[] items, long[]? timestamps, bool[]? labels, int itemCount)
    {
        var users = CountPositive(length);
        var offsets = new int[users + 1];
        long total = 0;
        for (int u = 0, v = 0; u < start.Length; u++)
        {
            if (length[u] == 0) continue;
            total += length[u];
            offsets[++v] = (int)total;
        }
        if (total == items.Length)
            return new SequenceSet(offsets, items, itemCount, timestamps, labels: labels);

        var keptItems = new int[total];
        var keptTimes = timestamps is null ? null : new long[total];
        var keptLabels = labels is null ? null : new bool[total];
        for (int u = 0, v = 0; u < start.Length; u++)
        {
            if (length[u] == 0) continue;
            items.AsSpan(start[u], length[u]).CopyTo(keptItems.AsSpan(offsets[v]));
            timestamps?.AsSpan(start[u], length[u]).CopyTo(keptTimes.AsSpan(offsets[v]));
            labels?.AsSpan(start[u], length[u]).CopyTo(keptLabels.AsSpan(offsets[v]));
            v++;
        }
        return new SequenceSet(offsets, keptItems, itemCount, keptTimes, labels: keptLabels);
    }
}
