using System.Diagnostics;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Runtime;

/// <summary>The build step that lets TorchSharp's native shim load on Debian 12 (build/TorchShim.targets).</summary>
public sealed class ShimPatchTests
{
    private static string OutputShim => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string PackageShim()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
                       Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var shim = Directory.GetFiles(Path.Combine(packages, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories)
            .Single(f => f.Contains($"{Path.DirectorySeparatorChar}0.107.0{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                         f.Contains("linux-x64", StringComparison.Ordinal));
        return shim;
    }

    private static string VersionFlags(string library)
    {
        var info = new ProcessStartInfo("readelf", ["-V", library]) { RedirectStandardOutput = true };
        using var p = Process.Start(info)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal)).Trim();
    }

    [Fact]
    public void LibtorchRunsAMatmulAndItsBackwardFromTheBuildOutput()
    {
        using var a = tensor(new double[] { 1, 2, 3, 4 }, [2, 2], requires_grad: true);
        using var b = tensor(new double[] { 5, 6, 7, 8 }, [2, 2]);
        using var loss = matmul(a, b).sum();
        loss.backward();
        Assert.Equal(1 * 5 + 2 * 7 + 1 * 6 + 2 * 8 + 3 * 5 + 4 * 7 + 3 * 6 + 4 * 8, loss.item<double>());
        Assert.Equal(new double[] { 11, 15, 11, 15 }, a.grad!.data<double>().ToArray());
    }

    [Fact]
    public void TheBuildMarksTheShimsGlibcxxRequirementWeakOnlyWhenTheHostLacksIt()
    {
        var host = ShimPatch.HostLibstdcxx();
        Assert.NotNull(host);
        var expected = ShimPatch.HostHasVersion(host, "GLIBCXX_3.4.32") ? "Flags: none" : "Flags: WEAK";
        Assert.Contains(expected, VersionFlags(OutputShim), StringComparison.Ordinal);
    }

    [Fact]
    public void WeakeningChangesTwoBytesOfTheShipped_shimAndIsIdempotent()
    {
        var copy = Path.Combine(Directory.CreateTempSubdirectory("plaw-shim-").FullName, "libLibTorchSharp.so");
        File.Copy(PackageShim(), copy);
        var before = File.ReadAllBytes(copy);
        Assert.Contains("Flags: none", VersionFlags(copy), StringComparison.Ordinal);

        Assert.StartsWith("marked GLIBCXX_3.4.32 weak", ShimPatch.Weaken(copy, "GLIBCXX_3.4.32", "_ZSt21ios_base_library_initv"), StringComparison.Ordinal);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Single(changed); // vna_flags 0 → 2: one byte of the two-byte field moves
        Assert.Contains("Flags: WEAK", VersionFlags(copy), StringComparison.Ordinal);
        Assert.Equal("GLIBCXX_3.4.32 already weak", ShimPatch.Weaken(copy, "GLIBCXX_3.4.32", "_ZSt21ios_base_library_initv"));
    }

    [Fact]
    public void AVersionThatCoversOtherSymbolsIsRefusedWithTheirNames()
    {
        var copy = Path.Combine(Directory.CreateTempSubdirectory("plaw-shim-").FullName, "libLibTorchSharp.so");
        File.Copy(PackageShim(), copy);
        var before = File.ReadAllBytes(copy);
        // GLIBCXX_3.4.21 covers many std::__cxx11 symbols the shim calls: weakening it would break them.
        var e = Assert.Throws<InvalidDataException>(() => ShimPatch.Weaken(copy, "GLIBCXX_3.4.21", "_ZSt21ios_base_library_initv"));
        Assert.Contains("besides _ZSt21ios_base_library_initv", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void NotAnElfFileIsAClearError()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("plaw-shim-").FullName, "libLibTorchSharp.so");
        File.WriteAllText(file, "#!/bin/sh\n");
        Assert.Equal("not an ELF file", Assert.Throws<InvalidDataException>(() => ShimPatch.Weaken(file, "GLIBCXX_3.4.32", "x")).Message);
    }
}
