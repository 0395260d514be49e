// Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13 (Debian 12: GLIBCXX_3.4.30).
// Compiled by MSBuild's RoslynCodeTaskFactory (build/LibTorchSharp.targets) and by the tests, so it is one file
// that needs nothing beyond netstandard2.0 (what that factory compiles against) and MSBuild's task API.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;

namespace Gym.Build;

/// <summary>A version requirement of an ELF file (.gnu.version_r): one Elf64_Vernaux entry.</summary>
public sealed class VersionNeed
{
    /// <summary>VER_FLG_WEAK: the dynamic loader accepts a library that lacks this version.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Creates the entry.</summary>
    public VersionNeed(string library, string version, long flagsOffset, ushort flags)
    {
        Library = library;
        Version = version;
        FlagsOffset = flagsOffset;
        Flags = flags;
    }

    /// <summary>The library the version is required from ("libstdc++.so.6").</summary>
    public string Library { get; }

    /// <summary>The version name ("GLIBCXX_3.4.32").</summary>
    public string Version { get; }

    /// <summary>The file offset of the entry's vna_flags field.</summary>
    public long FlagsOffset { get; }

    /// <summary>The entry's flags (VER_FLG_WEAK = 2).</summary>
    public ushort Flags { get; }

    /// <summary>Whether the requirement is weak.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}

/// <summary>Reads the symbol versions an ELF64 little-endian shared library requires and defines.</summary>
public static class ElfSymbolVersions
{
    private const uint VersionNeedSection = 0x6ffffffe;      // SHT_GNU_verneed
    private const uint VersionDefinitionSection = 0x6ffffffd; // SHT_GNU_verdef

    /// <summary>Every version requirement of <paramref name="elf"/>, in file order.</summary>
    public static VersionNeed[] Needs(byte[] elf, string source)
    {
        var needs = new List<VersionNeed>();
        foreach (VersionSection section in Sections(elf, source, VersionNeedSection))
        {
            long offset = section.Offset;
            int strings = section.Strings;
            long verneed = offset;
            for (int i = 0; i < section.Count; i++)
            {
                Require(elf, verneed, 16, source, "a version requirement");
                ushort auxCount = U16(elf, verneed + 2);
                string library = String(elf, strings, U32(elf, verneed + 4), source);
                long aux = verneed + U32(elf, verneed + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    Require(elf, aux, 16, source, "a version requirement entry");
                    needs.Add(new VersionNeed(library, String(elf, strings, U32(elf, aux + 8), source), aux + 4, U16(elf, aux + 4)));
                    aux += U32(elf, aux + 12);
                }
                uint next = U32(elf, verneed + 12);
                if (next == 0)
                    break;
                verneed += next;
            }
            if (verneed - offset > section.Size)
                throw new InvalidDataException($"{source}: the version requirements run past their section.");
        }
        return needs.ToArray();
    }

    /// <summary>Whether <paramref name="elf"/> defines the symbol version <paramref name="version"/> (.gnu.version_d).</summary>
    public static bool Defines(byte[] elf, string version, string source)
    {
        foreach (VersionSection section in Sections(elf, source, VersionDefinitionSection))
        {
            int strings = section.Strings;
            long verdef = section.Offset;
            for (int i = 0; i < section.Count; i++)
            {
                Require(elf, verdef, 20, source, "a version definition");
                long aux = verdef + U32(elf, verdef + 12);
                Require(elf, aux, 8, source, "a version definition entry");
                if (String(elf, strings, U32(elf, aux), source) == version)
                    return true;
                uint next = U32(elf, verdef + 16);
                if (next == 0)
                    break;
                verdef += next;
            }
        }
        return false;
    }

    private sealed class VersionSection
    {
        public long Offset;
        public long Size;
        public int Strings;     // the file offset of the linked string table
        public int Count;
    }

    private static IEnumerable<VersionSection> Sections(byte[] elf, string source, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{source}: not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{source}: not a 64-bit little-endian ELF file.");
        long sectionHeaders = (long)U64(elf, 0x28);
        int entrySize = U16(elf, 0x3a), sectionCount = U16(elf, 0x3c);
        if (entrySize < 64)
            throw new InvalidDataException($"{source}: section headers of {entrySize} bytes.");
        Require(elf, sectionHeaders, (long)entrySize * sectionCount, source, "the section headers");
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionHeaders + (long)i * entrySize;
            if (U32(elf, header + 4) != type)
                continue;
            long offset = (long)U64(elf, header + 0x18), size = (long)U64(elf, header + 0x20);
            uint link = U32(elf, header + 0x28);
            int count = (int)U32(elf, header + 0x2c);
            Require(elf, offset, size, source, "a version section");
            if (link >= sectionCount)
                throw new InvalidDataException($"{source}: a version section links to section {link} of {sectionCount}.");
            long strings = (long)U64(elf, sectionHeaders + link * entrySize + 0x18);
            yield return new VersionSection { Offset = offset, Size = size, Strings = checked((int)strings), Count = count };
        }
    }

    private static string String(byte[] elf, int table, uint index, string source)
    {
        long start = table + (long)index;
        if (start >= elf.Length)
            throw new InvalidDataException($"{source}: a version name lies outside the file.");
        int end = Array.IndexOf(elf, (byte)0, (int)start);
        if (end < 0)
            throw new InvalidDataException($"{source}: a version name is not terminated.");
        return Encoding.ASCII.GetString(elf, (int)start, end - (int)start);
    }

    private static void Require(byte[] elf, long offset, long length, string source, string what)
    {
        if (offset < 0 || length < 0 || offset + length > elf.Length)
            throw new InvalidDataException($"{source}: {what} at byte {offset} ({length} bytes) lies outside the file of {elf.Length} bytes.");
    }

    // Little-endian reads, spelt out: netstandard2.0 has no BinaryPrimitives.
    internal static ushort U16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
    internal static uint U32(byte[] b, long at) => U16(b, at) | (uint)U16(b, at + 2) << 16;
    internal static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;
}

/// <summary>What <see cref="LibTorchSharpFix.Apply"/> did.</summary>
public enum LibTorchSharpFixOutcome
{
    /// <summary>The system's libstdc++ has the version: the library was copied unchanged.</summary>
    NotNeeded,
    /// <summary>The requirement was made weak in the copy.</summary>
    Patched,
    /// <summary>The input was already patched: copied unchanged.</summary>
    AlreadyPatched,
}

/// <summary>
/// TorchSharp 0.107.0's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13's libstdc++) for one symbol,
/// <c>std::ios_base_library_init()</c>, which GCC 13's &lt;iostream&gt; references only to pin that version: the library
/// has no relocation against it, and libtorch initialises iostreams itself. Marking that one requirement weak
/// (VER_FLG_WEAK in its Elf64_Vernaux entry) lets the dynamic loader accept an older libstdc++. Only the exact file
/// whose hash is known is patched; any other file is refused, so a new TorchSharp version is looked at again.
/// </summary>
public static class LibTorchSharpFix
{
    /// <summary>The version the library requires and older systems lack.</summary>
    public const string Version = "GLIBCXX_3.4.32";

    /// <summary>SHA-256 of TorchSharp 0.107.0's linux-x64 libLibTorchSharp.so as published.</summary>
    public const string OriginalSha256 = "cf33b1b0bb6bbb9754a768fb5c5d04d9f498603be50e73f55621a0b40ee608b8";

    /// <summary>SHA-256 of the same file with the requirement made weak.</summary>
    public const string PatchedSha256 = "5968efac8270eff8a2b5ca7381612ea9cc54d81cf4104a54e0e6106b7b5f11e3";

    /// <summary>
    /// Writes <paramref name="output"/> from <paramref name="input"/>: patched when <paramref name="systemHasVersion"/>
    /// is false, unchanged otherwise. An output that is already right is left alone; otherwise it is replaced
    /// atomically, so concurrent builds may run this together.
    /// </summary>
    public static LibTorchSharpFixOutcome Apply(string input, string output, bool systemHasVersion)
    {
        byte[] bytes = File.ReadAllBytes(input);
        string hash = Sha256(bytes);
        LibTorchSharpFixOutcome outcome;
        if (hash == PatchedSha256)
            outcome = LibTorchSharpFixOutcome.AlreadyPatched;
        else if (hash != OriginalSha256)
            throw new InvalidDataException($"{input}: unknown file (SHA-256 {hash}); the fix for {Version} knows only TorchSharp 0.107.0's library ({OriginalSha256}). Check the new version's requirements (readelf -V) and update build/LibTorchSharpFix.cs.");
        else if (systemHasVersion)
            outcome = LibTorchSharpFixOutcome.NotNeeded;
        else
        {
            MakeWeak(bytes, input);
            string patched = Sha256(bytes);
            if (patched != PatchedSha256)
                throw new InvalidDataException($"{input}: the patched library has SHA-256 {patched}, expected {PatchedSha256}.");
            outcome = LibTorchSharpFixOutcome.Patched;
        }
        if (File.Exists(output) && Sha256(File.ReadAllBytes(output)) == Sha256(bytes))
            return outcome;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        string temporary = $"{output}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        if (File.Exists(output))
            File.Replace(temporary, output, null);
        else
            File.Move(temporary, output);
        return outcome;
    }

    /// <summary>Sets the weak flag on the one requirement of <see cref="Version"/> (found by name).</summary>
    public static void MakeWeak(byte[] elf, string source)
    {
        VersionNeed[] matches = ElfSymbolVersions.Needs(elf, source).Where(n => n.Version == Version).ToArray();
        if (matches.Length != 1)
            throw new InvalidDataException($"{source}: {matches.Length} requirements of {Version}, expected exactly one.");
        // vna_flags is little-endian and the weak flag is in its low byte.
        elf[matches[0].FlagsOffset] |= (byte)VersionNeed.WeakFlag;
    }

    /// <summary>
    /// Whether the libstdc++ this process runs with defines <see cref="Version"/> (.NET's runtime links libstdc++, so
    /// it is mapped in every .NET process, MSBuild's included).
    /// </summary>
    public static bool SystemHasVersion()
    {
        string? library = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libstdc++.so", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault();
        if (library is null)
            throw new InvalidOperationException("libstdc++ is not mapped in this process, so its versions cannot be checked.");
        return ElfSymbolVersions.Defines(File.ReadAllBytes(library), Version, library);
    }

    /// <summary>The lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256(byte[] bytes)
    {
        using (SHA256 sha = SHA256.Create())
            return string.Concat(sha.ComputeHash(bytes).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>The MSBuild task: writes the loadable copy of libLibTorchSharp.so that builds ship instead of the original.</summary>
public sealed class MakeLibTorchSharpLoadable : Microsoft.Build.Utilities.Task
{
    /// <summary>TorchSharp's library in the NuGet package folder.</summary>
    [Required]
    public string Input { get; set; } = "";

    /// <summary>Where the loadable copy goes.</summary>
    [Required]
    public string Output { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            LibTorchSharpFixOutcome outcome = LibTorchSharpFix.Apply(Input, Output, LibTorchSharpFix.SystemHasVersion());
            Log.LogMessage(MessageImportance.Low, "libLibTorchSharp.so: {0} -> {1}", outcome, Output);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
        {
            Log.LogError("LibTorchSharpFix: {0}", e.Message);
            return false;
        }
    }
}
