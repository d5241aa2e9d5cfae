using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// The dashboard's Content-Security-Policy lets no inline script run without its nonce, and <see cref="Accessibility"/>
/// injects axe-core inline. Every dashboard these tests start (they inherit this process's environment) allows exactly
/// that script, by its hash, through <c>PLaw:ExtraScriptSources</c>; nothing else the policy refuses is let through.
/// </summary>
internal static class AxeScriptPolicy
{
#pragma warning disable CA2255 // a test assembly's one-time set-up before any fixture starts a dashboard
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void AllowAxeInEveryDashboard()
    {
        var root = typeof(AxeScriptPolicy).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var axe = Path.Combine(root, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe)) return;   // Accessibility says what is missing when a test needs it
        var hash = Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(axe)));
        Environment.SetEnvironmentVariable("PLaw__ExtraScriptSources", $"'sha256-{hash}'");
    }
}
