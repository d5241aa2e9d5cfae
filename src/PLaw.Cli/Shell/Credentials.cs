using System.Text.Json;
using System.Text.Json.Serialization;

namespace PLaw.Cli.Shell;

/// <summary>
/// The API tokens <c>plaw login</c> saved, one per dashboard address, in <c>$XDG_CONFIG_HOME/plaw/credentials.json</c>
/// (default <c>~/.config/plaw</c>), readable by its owner only (0600, folder 0700): a token stands for its user.
/// </summary>
internal static class Credentials
{
    public sealed record Entry(string Url, string Token, string UserName, string Role, DateTime SavedUtc);

    private sealed record FileShape(List<Entry> Dashboards);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string FilePath
    {
        get
        {
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            if (string.IsNullOrWhiteSpace(config))
                config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(config, "plaw", "credentials.json");
        }
    }

    /// <summary>A dashboard address as the key: scheme, host and port in lower case, the path without a trailing slash.</summary>
    public static string Normalize(Uri url) =>
        $"{url.Scheme.ToLowerInvariant()}://{url.Host.ToLowerInvariant()}{(url.IsDefaultPort ? "" : ":" + url.Port)}{url.AbsolutePath.TrimEnd('/')}";

    public static IReadOnlyList<Entry> Load()
    {
        var path = FilePath;
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<FileShape>(File.ReadAllText(path), Json)?.Dashboards ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a credentials file plaw wrote ({e.Message}); remove it and run plaw login again.");
        }
    }

    /// <summary>The saved token for <paramref name="url"/>, or null.</summary>
    public static string? TokenFor(Uri url) => Load().FirstOrDefault(e => e.Url == Normalize(url))?.Token;

    public static void Save(Entry entry)
    {
        var entries = Load().Where(e => e.Url != entry.Url).Append(entry).OrderBy(e => e.Url, StringComparer.Ordinal).ToList();
        Write(entries);
    }

    /// <summary>Forgets the token for <paramref name="url"/> (all of them when null); how many were forgotten.</summary>
    public static int Remove(Uri? url)
    {
        var entries = Load().ToList();
        var kept = url is null ? [] : entries.Where(e => e.Url != Normalize(url)).ToList();
        if (kept.Count == entries.Count) return 0;
        if (kept.Count == 0) File.Delete(FilePath);
        else Write(kept);
        return entries.Count - kept.Count;
    }

    private static void Write(List<Entry> entries)
    {
        var path = FilePath;
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Written beside the file and moved over it, so an interrupted write never leaves half a file; created 0600 from
        // the first byte, so the token is never readable by others even for a moment.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, new FileShape(entries), Json);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
