using PLaw.Engine.Torch.Runtime;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Runtime;

/// <summary>The libtorch probe behind <c>plaw doctor</c>: what it reports when libtorch loads, and why when it does not.</summary>
public sealed class TorchRuntimeTests
{
    private static string PackageShim()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
                       Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.GetFiles(Path.Combine(packages, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories)
            .Single(f => f.Contains($"{Path.DirectorySeparatorChar}0.107.0{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                         f.Contains("linux-x64", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCpuBuildLoadsWithItsVersionAndThreadsAndSaysWhyThereIsNoCuda()
    {
        var info = TorchRuntime.Probe();
        Assert.True(info.Loaded, $"{info.Problem} — {info.Hint}");
        Assert.Null(info.Problem);
        Assert.StartsWith("2.10", info.Version, StringComparison.Ordinal);
        Assert.Equal("cpu", info.Build);
        Assert.Equal(get_num_threads(), info.IntraOpThreads);
        Assert.Equal(get_num_interop_threads(), info.InterOpThreads);
        Assert.InRange(info.IntraOpThreads!.Value, 1, 4096);
        Assert.False(info.CudaAvailable);
        Assert.Empty(info.CudaDevices);
        Assert.Contains("-p:TorchVariant=cuda", info.CudaProblem, StringComparison.Ordinal);
        Assert.Equal(TorchRuntime.ShimPath(), Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
    }

    [Fact]
    public void TheUnpatchedShimIsExplainedByTheLoadersOwnWordsOnAHostThatLacksGlibcxx3432()
    {
        // libtorch is in memory once the probe has run, so the copy's libtorch*.so needs resolve and only its symbol versions are checked.
        Assert.True(TorchRuntime.Probe().Loaded);
        var copy = Path.Combine(Directory.CreateTempSubdirectory("plaw-shim-").FullName, "libLibTorchSharp.so");
        File.Copy(PackageShim(), copy);

        var error = TorchRuntime.NativeLoadError(copy);

        if (ShimPatch.HostHasVersion(ShimPatch.HostLibstdcxx()!, "GLIBCXX_3.4.32"))
        {
            Assert.Null(error); // Ubuntu 24.04, Debian 13: the shipped shim loads as it is
            return;
        }
        Assert.NotNull(error);
        // dlerror's line, not .NET's "Unable to load shared library … consider using a tool like strace" preamble.
        Assert.Matches(@"^/\S*libstdc\+\+\.so\.6: version `GLIBCXX_3\.4\.32' not found \(required by .*libLibTorchSharp\.so\)$", error);
        var hint = TorchRuntime.HintFor(error, "cpu");
        Assert.Contains("build/TorchShim.targets", hint, StringComparison.Ordinal);
        Assert.Contains("docs/torch.md", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotALibraryIsExplainedToo()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("plaw-shim-").FullName, "libLibTorchSharp.so");
        File.WriteAllText(file, "not a library\n");
        var error = TorchRuntime.NativeLoadError(file);
        Assert.NotNull(error);
        Assert.StartsWith($"{file}: ", error, StringComparison.Ordinal); // glibc: "…: file too short"
        Assert.DoesNotContain("Unable to load shared library", error, StringComparison.Ordinal);
        Assert.DoesNotContain("GLIBCXX", TorchRuntime.HintFor(error, "cpu"), StringComparison.Ordinal);
    }
}
