namespace PLaw.Web.Imports;

/// <summary>A path with every symbolic link in it followed, as realpath(3) gives it.</summary>
public static class RealPath
{
    private const int MaxLinks = 40;   // Linux's ELOOP limit

    public static string Of(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"Too many symbolic links in {full}.");
                // A relative target is relative to the link's folder; the target may itself contain links.
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            current = next;
        }
        return current;
    }
}
