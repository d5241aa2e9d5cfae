namespace PLaw.Tests.Common;

/// <summary>Locates the repository and the shared real datasets (../shared/data beside the clone).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string MovieLens100K => Path.Combine(SharedData, "ml-100k", "u.data");

    public static string AmazonGames => Path.Combine(SharedData, "amazon-games", "games.txt");

    /// <summary>True when the shared datasets are present (they are on developer machines and in CI).</summary>
    public static bool HasSharedData => File.Exists(MovieLens100K) && File.Exists(AmazonGames);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PLawDashboard.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No PLawDashboard.sln above {AppContext.BaseDirectory}.");
    }
}
