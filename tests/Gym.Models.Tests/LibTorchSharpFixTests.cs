using Gym.Build;
using Gym.Testing;
using static TorchSharp.torch;

namespace Gym.Models.Tests;

/// <summary>
/// The build's fix that lets TorchSharp's native library load where libstdc++ predates GCC 13 (build/LibTorchSharpFix.cs),
/// and proof that TorchSharp loads on this machine from a fresh restore.
/// </summary>
[TestFixture]
public sealed class LibTorchSharpFixTests
{
    private static string PackageFolder => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Original => Path.Combine(PackageFolder, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Test]
    public void TheRequirementIsFoundByNameAndOnlyItsWeakFlagChanges()
    {
        byte[] original = File.ReadAllBytes(Original);
        Assert.That(LibTorchSharpFix.Sha256(original), Is.EqualTo(LibTorchSharpFix.OriginalSha256));
        VersionNeed need = ElfSymbolVersions.Needs(original, Original).Single(n => n.Version == LibTorchSharpFix.Version);
        Assert.That((need.Library, need.IsWeak, need.FlagsOffset), Is.EqualTo(("libstdc++.so.6", false, 260660L)));
        Assert.That(ElfSymbolVersions.Needs(original, Original).Count(n => n.Library == "libc.so.6"), Is.GreaterThan(1), "the other requirements are read too");

        byte[] patched = (byte[])original.Clone();
        LibTorchSharpFix.MakeWeak(patched, "copy");
        int[] changed = [.. Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i])];
        Assert.That(changed, Is.EqualTo(new[] { 260660 }));
        Assert.That(ElfSymbolVersions.Needs(patched, "copy").Single(n => n.Version == LibTorchSharpFix.Version).IsWeak, Is.True);
        Assert.That(LibTorchSharpFix.Sha256(patched), Is.EqualTo(LibTorchSharpFix.PatchedSha256));
    }

    [Test]
    public void ApplyingIsIdempotentAndAnUnknownFileIsRefused()
    {
        string dir = TestPaths.TempDirectory();
        string patched = Path.Combine(dir, "patched.so"), again = Path.Combine(dir, "again.so"), unchanged = Path.Combine(dir, "unchanged.so");
        Assert.That(LibTorchSharpFix.Apply(Original, patched, systemHasVersion: false), Is.EqualTo(LibTorchSharpFixOutcome.Patched));
        Assert.That(LibTorchSharpFix.Sha256(File.ReadAllBytes(patched)), Is.EqualTo(LibTorchSharpFix.PatchedSha256));
        Assert.That(LibTorchSharpFix.Apply(patched, again, systemHasVersion: false), Is.EqualTo(LibTorchSharpFixOutcome.AlreadyPatched));
        Assert.That(File.ReadAllBytes(again), Is.EqualTo(File.ReadAllBytes(patched)));
        DateTime written = File.GetLastWriteTimeUtc(patched);
        Assert.That(LibTorchSharpFix.Apply(Original, patched, systemHasVersion: false), Is.EqualTo(LibTorchSharpFixOutcome.Patched));
        Assert.That(File.GetLastWriteTimeUtc(patched), Is.EqualTo(written), "an output that is already right is not rewritten");
        Assert.That(LibTorchSharpFix.Apply(Original, unchanged, systemHasVersion: true), Is.EqualTo(LibTorchSharpFixOutcome.NotNeeded));
        Assert.That(File.ReadAllBytes(unchanged), Is.EqualTo(File.ReadAllBytes(Original)), "a system with GLIBCXX_3.4.32 gets the library as published");

        byte[] other = File.ReadAllBytes(Original);
        other[^1] ^= 1;
        string unknown = Path.Combine(dir, "libLibTorchSharp.so");
        File.WriteAllBytes(unknown, other);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => LibTorchSharpFix.Apply(unknown, Path.Combine(dir, "out.so"), systemHasVersion: false))!;
        Assert.That(e.Message, Does.Contain(unknown).And.Contain("unknown file").And.Contain(LibTorchSharpFix.OriginalSha256));
        Assert.That(File.Exists(Path.Combine(dir, "out.so")), Is.False);
        Assert.That(Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.Needs("not an ELF file at all, but long enough to have a header......."u8.ToArray(), "text"))!.Message,
            Does.Contain("text: not an ELF file"));
        Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void ThisProcessRunsTheCopyTheBuildShippedForThisSystemsLibstdcxx()
    {
        using (Tensor t = ones(3))
            Assert.That(t.sum().item<float>(), Is.EqualTo(3));
        string[] maps = File.ReadAllLines("/proc/self/maps");
        string libstdcxx = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 6 && Path.GetFileName(f[5]).StartsWith("libstdc++.so", StringComparison.Ordinal)).Select(f => f[5]).First();
        byte[] library = File.ReadAllBytes(libstdcxx);
        Assert.That(ElfSymbolVersions.Defines(library, "GLIBCXX_3.4", libstdcxx), Is.True);
        Assert.That(ElfSymbolVersions.Defines(library, "GLIBCXX_99.0", libstdcxx), Is.False);
        bool systemHasVersion = LibTorchSharpFix.SystemHasVersion();
        Assert.That(systemHasVersion, Is.EqualTo(ElfSymbolVersions.Defines(library, LibTorchSharpFix.Version, libstdcxx)));

        string loaded = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 6 && f[5].EndsWith("/libLibTorchSharp.so", StringComparison.Ordinal)).Select(f => f[5]).First();
        Assert.That(loaded, Does.Not.StartWith(PackageFolder), "the shipped copy is loaded, never the NuGet cache's");
        Assert.That(LibTorchSharpFix.Sha256(File.ReadAllBytes(loaded)), Is.EqualTo(systemHasVersion ? LibTorchSharpFix.OriginalSha256 : LibTorchSharpFix.PatchedSha256));
    }

    [Test, CancelAfter(600_000), Category("Slow")]
    public void TorchSharpLoadsFromAFreshRestoreInAProgramOfItsOwn()
    {
        // A program outside the repository, as a user writes one: TorchSharp's packages from an empty NuGet folder,
        // the build's fix imported, no environment variable when it runs.
        string dir = TestPaths.TempDirectory();
        string packages = Path.Combine(dir, "packages");
        string project = Path.Combine(dir, "probe");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TorchSharp" Version="0.107.0" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
              </ItemGroup>
              <Import Project="{Path.Combine(TestPaths.Root, "build", "LibTorchSharp.targets")}" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using static TorchSharp.torch;
            Console.WriteLine($"sum {arange(1, 5).sum().item<long>()} libtorch {__version__}");
            """);
        try
        {
            (int code, string output, string error) = ProcessRunner.Run("/usr/bin/env",
                [$"NUGET_PACKAGES={packages}", "dotnet", "build", "-c", "Release", "-nologo", "-v", "q"], project, timeoutMs: 540_000);
            Assert.That(code, Is.EqualTo(0), output + error);
            Assert.That(Directory.Exists(Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0")), Is.True, "restored into the empty folder");
            string bin = Path.Combine(project, "bin", "Release", "net10.0");
            string natives = Path.Combine(bin, "runtimes", "linux-x64", "native");
            Assert.That(new FileInfo(Path.Combine(natives, "libtorch_cpu.so")).LinkTarget, Does.StartWith(packages), "libtorch is linked, not copied");
            (code, output, error) = ProcessRunner.Run("dotnet", [Path.Combine(bin, "probe.dll")], project);
            Assert.That(code, Is.EqualTo(0), output + error);
            Assert.That(output.Trim(), Is.EqualTo("sum 10 libtorch 2.10.0.0"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
