using System.IO.Enumeration;

namespace PLaw.Web.Imports;

/// <summary>
/// Server-side imports may read only regular files whose real path (every symbolic link followed) lies below the real
/// path of the configured import root: a link inside the root that points outside it (<c>ln -s /etc imports/etc_link</c>)
/// is neither listed nor imported.
/// </summary>
public static class ImportPaths
{
    public static string Resolve(string importRoot, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Give a file path under the import root.");
        var root = WithSeparator(Path.GetFullPath(importRoot));
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new UnauthorizedAccessException($"'{path}' is outside the import root {root}; put the file there or change PLaw:ImportRoot.");
        if (!File.Exists(full))
            throw new FileNotFoundException($"No file at {full}.", full);
        var real = RealPath.Of(full);
        if (!real.StartsWith(WithSeparator(RealPath.Of(root)), StringComparison.Ordinal))
            throw new UnauthorizedAccessException($"'{path}' is a link to {real}, outside the import root {root}; copy the file into the root instead.");
        if (!IsImportable(new FileInfo(real)))
            throw new IOException($"'{path}' is empty or not a regular file (a pipe, socket or device); import a file with interactions in it.");
        return real;
    }

    /// <summary>The files a user can pick from, relative to the root, newest first; links that leave the root and non-files are left out.</summary>
    public static IReadOnlyList<string> List(string importRoot, int max = 200)
    {
        if (!Directory.Exists(importRoot)) return [];
        var realRoot = WithSeparator(RealPath.Of(importRoot));
        // Linked folders are not descended into (one may lead to / or back into the root, forever); a linked file is
        // listed when its target is inside the root.
        var files = new FileSystemEnumerable<FileInfo>(importRoot, (ref FileSystemEntry entry) => (FileInfo)entry.ToFileSystemInfo(),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        return files
            .Where(f => Inside(realRoot, f.FullName, out var real) && IsImportable(new FileInfo(real)))
            .OrderByDescending(f => f.LastWriteTimeUtc).Take(max)
            .Select(f => Path.GetRelativePath(importRoot, f.FullName)).ToList();
    }

    private static bool Inside(string realRoot, string path, out string real)
    {
        try
        {
            real = RealPath.Of(path);
            return real.StartsWith(realRoot, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            real = path;
            return false;
        }
    }

    /// <summary>
    /// A regular file with something in it. .NET exposes no file type, but Linux reports size 0 for pipes, sockets and
    /// devices, so a length above zero rules them out before anything opens them (opening a pipe would wait for a writer).
    /// </summary>
    private static bool IsImportable(FileInfo file) => file.Exists && file.Length > 0;

    private static string WithSeparator(string path) => path.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
}
