using PLaw.Registry;

namespace PLaw.Web.Imports;

/// <summary>
/// <c>{DataDirectory}/uploads</c>: where an upload is written while it arrives and until its import ends. Nothing there
/// outlives the process that wrote it, so start-up empties it (a crash or kill mid-upload leaves partial files).
/// </summary>
public static class UploadFolder
{
    public static string Of(PLawOptions options) => Path.Combine(Path.GetFullPath(options.DataDirectory), "uploads");

    /// <summary>Deletes what a previous process left in the folder; returns how many files went.</summary>
    public static int Clean(PLawOptions options, ILogger logger)
    {
        var folder = Of(options);
        if (!Directory.Exists(folder)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
            if (TryDelete(file, logger)) removed++;
        if (removed > 0) logger.LogInformation("Removed {Count} partial uploads left in {Folder} by an earlier run", removed, folder);
        return removed;
    }

    public static bool TryDelete(string file, ILogger? logger = null)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.LogWarning("Could not delete the upload {File}: {Error}", file, e.Message);
            return false;
        }
    }
}
