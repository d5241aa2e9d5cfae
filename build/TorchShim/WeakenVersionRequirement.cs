// An MSBuild task (compiled by RoslynCodeTaskFactory, against netstandard: no records, spans or newer File APIs) over a
// plain class, ShimPatch, which the tests compile on its own.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
#nullable enable
#if !PLAW_TESTS
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

/// <summary>
/// Marks a shared library's requirement of one symbol version weak when the host's libstdc++ lacks that version, after
/// checking that the version covers only the given anchor symbol and that nothing relocates against it.
/// ELF64 little-endian only (the shim is x86_64 or arm64).
/// </summary>
#if !PLAW_TESTS
public class PLawWeakenGlibcxxRequirement : Task
{
    public string Shim { get; set; } = "";
    public string Version { get; set; } = "";
    public string Anchor { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            var host = ShimPatch.HostLibstdcxx();
            if (host is null) { Log.LogMessage(MessageImportance.Low, "libstdc++.so.6 not found; the TorchSharp shim is left as it is."); return true; }
            if (ShimPatch.HostHasVersion(host, Version)) { Log.LogMessage(MessageImportance.Low, $"{host} has {Version}; the TorchSharp shim needs no patch."); return true; }
            var result = ShimPatch.Weaken(Shim, Version, Anchor);
            Log.LogMessage(MessageImportance.Normal, $"{Shim}: {result} ({host} lacks {Version}).");
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            Log.LogError($"{Shim}: {e.Message}");
            return false;
        }
    }
}
#endif

public static class ShimPatch
{
    private const ushort VerFlgWeak = 0x2;

    public static string? HostLibstdcxx() => new[]
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    }.FirstOrDefault(File.Exists);

    public static bool HostHasVersion(string library, string version)
    {
        var bytes = File.ReadAllBytes(library);
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        for (var i = Array.IndexOf(bytes, needle[0]); i >= 0 && i <= bytes.Length - needle.Length; i = Array.IndexOf(bytes, needle[0], i + 1))
        {
            var j = 1;
            while (j < needle.Length && bytes[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on <paramref name="version"/>'s entry in .gnu.version_r; returns what it did.</summary>
    public static string Weaken(string path, string version, string anchor)
    {
        var data = File.ReadAllBytes(path);
        var elf = new Elf(data, path);
        var verneed = elf.Section(".gnu.version_r");
        var dynstr = elf.Sections[(int)verneed.Link];
        var entries = new List<(int FlagsAt, ushort Flags, ushort Index)>();
        var off = (int)verneed.Offset;
        while (true)
        {
            var count = U16(data, off + 2);
            var aux = off + (int)U32(data, off + 8);
            for (var i = 0; i < count; i++)
            {
                if (elf.String(dynstr, U32(data, aux + 8)) == version) entries.Add((aux + 4, U16(data, aux + 4), U16(data, aux + 6)));
                aux += (int)U32(data, aux + 12);
            }
            var next = U32(data, off + 12);
            if (next == 0) break;
            off += (int)next;
        }
        if (entries.Count == 0) return $"does not ask for {version}; nothing to do";

        // Which dynamic symbols carry that version, and does any relocation name them?
        var dynsym = elf.Section(".dynsym");
        var versym = elf.Section(".gnu.version");
        var symbolStrings = elf.Sections[(int)dynsym.Link];
        var indices = new HashSet<ushort>(entries.Select(e => e.Index));
        var versioned = new List<(int Symbol, string Name)>();
        for (var s = 0; s < (int)(dynsym.Size / 24); s++)
            if (indices.Contains((ushort)(U16(data, (int)versym.Offset + 2 * s) & 0x7fff)))
                versioned.Add((s, elf.String(symbolStrings, U32(data, (int)dynsym.Offset + 24 * s))));
        var others = versioned.Where(v => v.Name != anchor).Select(v => v.Name).ToList();
        if (others.Count > 0)
            throw new InvalidDataException($"{version} covers {string.Join(", ", others)} besides {anchor}; marking it weak could break them. " +
                                           "Use a host whose libstdc++ has that version (Ubuntu 24.04, Debian 13).");
        var symbols = new HashSet<int>(versioned.Select(v => v.Symbol));
        foreach (var rela in elf.Sections.Where(x => x.Type == 4)) // SHT_RELA
            for (var r = 0; r < (int)(rela.Size / 24); r++)
                if (symbols.Contains((int)(U64(data, (int)rela.Offset + 24 * r + 8) >> 32)))
                    throw new InvalidDataException($"a relocation in {elf.SectionName(rela)} uses {anchor}; marking {version} weak would leave it unresolved.");

        if (entries.All(e => (e.Flags & VerFlgWeak) != 0)) return $"{version} already weak";
        foreach (var e in entries)
        {
            var flags = (ushort)(e.Flags | VerFlgWeak);
            data[e.FlagsAt] = (byte)flags;
            data[e.FlagsAt + 1] = (byte)(flags >> 8);
        }
        var temp = path + ".patching";
        File.WriteAllBytes(temp, data);
        File.Replace(temp, path, null);
        return $"marked {version} weak (it covers only {anchor}, which nothing relocates against)";
    }

    private static ushort U16(byte[] d, int at) => BitConverter.ToUInt16(d, at);
    private static uint U32(byte[] d, int at) => BitConverter.ToUInt32(d, at);
    private static ulong U64(byte[] d, int at) => BitConverter.ToUInt64(d, at);

    private sealed class SectionHeader
    {
        public SectionHeader(uint name, uint type, ulong offset, ulong size, uint link)
        {
            Name = name; Type = type; Offset = offset; Size = size; Link = link;
        }

        public uint Name { get; }
        public uint Type { get; }
        public ulong Offset { get; }
        public ulong Size { get; }
        public uint Link { get; }
    }

    private sealed class Elf
    {
        private readonly byte[] _d;
        private readonly string _path;

        public Elf(byte[] data, string path)
        {
            _d = data;
            _path = path;
            if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (data[4] != 2 || data[5] != 1) throw new InvalidDataException("expected a 64-bit little-endian ELF file");
            var shoff = (int)U64(data, 0x28);
            int size = U16(data, 0x3A), count = U16(data, 0x3C), names = U16(data, 0x3E);
            Sections = Enumerable.Range(0, count).Select(i => shoff + i * size)
                .Select(h => new SectionHeader(U32(data, h), U32(data, h + 4), U64(data, h + 0x18), U64(data, h + 0x20), U32(data, h + 0x28)))
                .ToList();
            _names = Sections[names];
        }

        private readonly SectionHeader _names;
        public List<SectionHeader> Sections { get; }

        public string String(SectionHeader table, uint at)
        {
            var start = (int)table.Offset + (int)at;
            var end = Array.IndexOf(_d, (byte)0, start);
            return Encoding.ASCII.GetString(_d, start, end - start);
        }

        public string SectionName(SectionHeader s) => String(_names, s.Name);

        public SectionHeader Section(string name) =>
            Sections.FirstOrDefault(s => SectionName(s) == name) ?? throw new InvalidDataException($"no {name} section in {_path}");
    }
}
