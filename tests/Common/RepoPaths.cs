namespace PLaw.Tests.Common;

/// <summary>Locates the repository and the shared real datasets: <c>PLAW_SHARED_DATA</c> when set, else ../shared/data
/// beside the clone, else beside the repository a local clone was made from (so <c>git clone . /tmp/x</c> finds them).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedData { get; } = FindSharedData();

    public static string MovieLens100K => Path.Combine(SharedData, "ml-100k", "u.data");

    public static string AmazonGames => Path.Combine(SharedData, "amazon-games", "games.txt");

    /// <summary>True when the shared datasets are present (they are on developer machines and in CI).</summary>
    private static bool HasSharedData => File.Exists(MovieLens100K) && File.Exists(AmazonGames);

    /// <summary>Tests on real data fail, never pass silently, when the data is missing.</summary>
    public static void RequireSharedData()
    {
        if (!HasSharedData)
            throw new InvalidOperationException($"Shared datasets missing under {SharedData}: set PLAW_SHARED_DATA, or clone beside ../shared.");
    }

    private static string FindSharedData()
    {
        if (Environment.GetEnvironmentVariable("PLAW_SHARED_DATA") is { Length: > 0 } configured) return Path.GetFullPath(configured);
        var beside = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
        if (Directory.Exists(beside) || OriginDirectory() is not { } origin) return beside;
        var besideOrigin = Path.GetFullPath(Path.Combine(origin, "..", "shared", "data"));
        return Directory.Exists(besideOrigin) ? besideOrigin : beside;
    }

    // The url of remote "origin" in .git/config when it is a local directory.
    private static string? OriginDirectory()
    {
        var config = Path.Combine(Root, ".git", "config");
        if (!File.Exists(config)) return null;
        var inOrigin = false;
        foreach (var raw in File.ReadLines(config))
        {
            var line = raw.Trim();
            if (line.StartsWith('[')) inOrigin = line == "[remote \"origin\"]";
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.Split('=', 2) is [_, var url]
                     && Directory.Exists(url.Trim()))
                return url.Trim();
        }
        return null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PLawDashboard.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No PLawDashboard.sln above {AppContext.BaseDirectory}.");
    }
}
