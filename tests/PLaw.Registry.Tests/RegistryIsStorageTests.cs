using System.Reflection;
using PLaw.Tests.Common;

namespace PLaw.Registry.Tests;

/// <summary>The registry is storage: training (the queue worker, the engines' backends) lives in PLaw.Worker.</summary>
public sealed class RegistryIsStorageTests
{
    private static readonly Assembly Registry = typeof(PLawOptions).Assembly;

    [Fact]
    public void TheRegistryAssemblyReferencesNeitherTorchSharpNorTheTorchBackend()
    {
        var references = Registry.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("PLaw.Engine.Torch", references);
        Assert.DoesNotContain("PLaw.Worker", references);
        var project = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "PLaw.Registry", "PLaw.Registry.csproj"));
        Assert.DoesNotContain("Torch", project, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NoHostedServiceOrTrainerLivesInTheRegistry()
    {
        var hosted = Registry.GetTypes().Where(t => typeof(Microsoft.Extensions.Hosting.IHostedService).IsAssignableFrom(t)).Select(t => t.FullName);
        Assert.Empty(hosted);
    }
}
