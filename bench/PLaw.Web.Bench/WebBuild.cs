using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

/// <summary>
/// One dashboard build to measure: a folder holding a built PLaw.Web (an unpublished Release output, self-contained or
/// framework-dependent), what it is (commit, framework, age of the binary), and how to start it on its own data folder.
/// </summary>
internal sealed class WebBuild
{
    private WebBuild(string label, string directory)
    {
        Label = label;
        Directory = directory;
    }

    public string Label { get; }
    public string Directory { get; }
    public string Commit { get; private set; } = "unknown";
    public string CommitSubject { get; private set; } = "";
    /// <summary>The newest commit that changed the app's sources (src/, migrations/, the build props): what the binary is.</summary>
    public string SourcesCommit { get; private set; } = "";
    public string Framework { get; private set; } = "unknown";
    public string BinaryTime { get; private set; } = "";
    public string InformationalVersion { get; private set; } = "";
    public List<string> Warnings { get; } = [];

    /// <summary>"label=folder"; the folder may be relative to the working directory.</summary>
    public static WebBuild Parse(string spec)
    {
        var equals = spec.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"--web wants label=folder, got '{spec}'.");
        var directory = Path.GetFullPath(spec[(equals + 1)..]);
        var build = new WebBuild(spec[..equals], directory);
        build.Describe();
        return build;
    }

    private string Dll => Path.Combine(Directory, "PLaw.Web.dll");

    private void Describe()
    {
        if (!File.Exists(Dll))
            throw new FileNotFoundException($"No built dashboard in {Directory} (PLaw.Web.dll missing); build it with " +
                                            "`dotnet build src/PLaw.Web -c Release` in that checkout first.");
        var written = File.GetLastWriteTimeUtc(Dll);
        BinaryTime = written.ToString("yyyy-MM-dd HH:mm 'UTC'");
        InformationalVersion = FileVersionInfo.GetVersionInfo(Dll).ProductVersion ?? "";
        var runtimeConfig = Path.Combine(Directory, "PLaw.Web.runtimeconfig.json");
        if (File.Exists(runtimeConfig))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            var options = json.RootElement.GetProperty("runtimeOptions");
            Framework = options.TryGetProperty("tfm", out var tfm) ? tfm.GetString() ?? "" : "";
            Framework += options.TryGetProperty("includedFrameworks", out _) ? ", self-contained" : ", framework-dependent";
        }
        var head = Git("rev-parse", "HEAD");
        if (head is null)
        {
            Warnings.Add("not inside a git checkout: commit unknown");
            return;
        }
        Commit = head;
        CommitSubject = Git("log", "-1", "--format=%s") ?? "";
        // A binary older than the newest commit touching the app's sources may not be that commit's code.
        var top = Git("rev-parse", "--show-toplevel")!;
        string[] sources = ["--", ":(top)src", ":(top)migrations", ":(top)Directory.Build.props", ":(top)Directory.Packages.props"];
        SourcesCommit = Git(["log", "-1", "--format=%h %s", .. sources]) ?? "";
        if (DateTime.TryParse(Git(["log", "-1", "--format=%cI", .. sources]),
                null, System.Globalization.DateTimeStyles.AdjustToUniversal, out var changed) && changed > written)
            Warnings.Add($"PLaw.Web.dll ({BinaryTime}) is older than the last commit under src/ ({changed:yyyy-MM-dd HH:mm} UTC): rebuild it");
        var dirty = Git("-C", top, "status", "--porcelain", "--untracked-files=no", "--", "src");
        if (!string.IsNullOrWhiteSpace(dirty))
            Warnings.Add($"uncommitted changes under src/ in {top}: {dirty.Split('\n').Length} file(s)");
    }

    private string? Git(params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(Directory);
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Starts the build on <paramref name="dataDirectory"/> and waits until /healthz answers (its start migrates the registry).</summary>
    public Task<RunningBuild> StartAsync(string dataDirectory) => RunningBuild.StartAsync(this, dataDirectory);
}

/// <summary>A started build: its URL and every line it wrote, numbered, so a load's slice of the log can be read afterwards.</summary>
internal sealed class RunningBuild : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];

    private RunningBuild(WebBuild build, Process process, string baseUrl, string dataDirectory)
    {
        Build = build;
        this.process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public WebBuild Build { get; }
    public string BaseUrl { get; }
    public string DataDirectory { get; }
    public string RegistryPath => Path.Combine(DataDirectory, "registry.db");
    public TimeSpan StartTime { get; private set; }

    public int LineCount
    {
        get { lock (lines) return lines.Count; }
    }

    public List<string> Lines(int from, int to)
    {
        lock (lines) return lines.GetRange(from, Math.Min(to, lines.Count) - from);
    }

    public static async Task<RunningBuild> StartAsync(WebBuild build, string dataDirectory)
    {
        var port = FreePort();
        var executable = Path.Combine(build.Directory, "PLaw.Web");
        var start = File.Exists(executable)
            ? new ProcessStartInfo(executable)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(build.Directory, "PLaw.Web.dll") } };
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.WorkingDirectory = build.Directory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // An unpublished build serves its static web assets (blazor.web.js, the UI library's files, wwwroot) only in Development.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["PLaw__DataDirectory"] = dataDirectory;
        start.Environment["PLaw__RunWorker"] = "false";
        start.Environment["PLaw__SeedDemoData"] = "false";
        // One line per log entry, and EF Core's command log (Debug: it includes how long each reader spent reading), from
        // which the server side of the page's query is read.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Debug";

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{build.Label}: the dashboard did not start.");
        var running = new RunningBuild(build, process, $"http://127.0.0.1:{port}", dataDirectory);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await running.WaitUntilHealthyAsync(TimeSpan.FromSeconds(180));
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
        running.StartTime = clock.Elapsed;
        return running;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (lines) lines.Add(line);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Build.Label}: the dashboard exited with code {process.ExitCode}:\n{Tail()}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow first request
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Build.Label}: the dashboard was not healthy within {timeout}:\n{Tail()}");
    }

    public string Tail(int count = 40)
    {
        lock (lines) return string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
