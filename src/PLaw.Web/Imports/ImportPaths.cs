namespace PLaw.Web.Imports;

/// <summary>Server-side imports may read only below the configured import root.</summary>
public static class ImportPaths
{
    public static string Resolve(string importRoot, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Give a file path under the import root.");
        var root = Path.GetFullPath(importRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new UnauthorizedAccessException($"'{path}' is outside the import root {root}; put the file there or change PLaw:ImportRoot.");
        if (!File.Exists(full))
            throw new FileNotFoundException($"No file at {full}.", full);
        return full;
    }

    /// <summary>The files a user can pick from, relative to the root, newest first.</summary>
    public static IReadOnlyList<string> List(string importRoot, int max = 200) =>
        Directory.Exists(importRoot)
            ? new DirectoryInfo(importRoot).EnumerateFiles("*", SearchOption.AllDirectories)
                .OrderByDescending(f => f.LastWriteTimeUtc).Take(max)
                .Select(f => Path.GetRelativePath(importRoot, f.FullName)).ToList()
            : [];
}
