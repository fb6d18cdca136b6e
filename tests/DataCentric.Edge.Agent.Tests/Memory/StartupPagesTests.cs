using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using DataCentric.Edge.Agent.Memory;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Agent.Tests.Memory;

/// <summary>
/// The release on this machine's kernel, on files this test maps itself in a directory of its own:
/// a read-only mapping's pages leave the process and read back the same bytes; a mapping with
/// written (copied) pages is left alone, so nothing written is lost.
/// </summary>
public sealed class StartupPagesTests : IDisposable
{
    private const int FileBytes = 4 * 1024 * 1024;
    private readonly TempDirectory _directory = new("dce-pages");

    [Fact]
    public void ReadOnlyMapping_LeavesTheProcess_AndReadsBackTheSameBytes()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/smaps");
        var path = WriteFile("code.bin");
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var before = Checksum(view);
        Assert.True(ResidentKb(path) >= FileBytes / 1024 / 2, $"the mapping should be resident after reading it: {ResidentKb(path)} kB");

        var released = StartupPages.Release(_directory.Path);

        Assert.Equal(1, released.Mappings);
        Assert.True(released.ResidentBytes >= FileBytes / 2, $"{released.ResidentBytes} bytes released");
        Assert.Equal(0, ResidentKb(path));
        Assert.Equal(before, Checksum(view));
    }

    [Fact]
    public void PrivateReadOnlyMapping_LeavesTheProcess_AndReadsBackTheSameBytes()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "mmap and /proc/self/smaps");
        var path = WriteFile("text.bin");
        using var mapping = PrivateMapping.Map(path, FileBytes);
        var before = mapping.Checksum();

        var released = StartupPages.Release(_directory.Path);

        Assert.Equal(1, released.Mappings);
        Assert.Equal(0, ResidentKb(path));
        Assert.Equal(before, mapping.Checksum());
    }

    [Fact]
    public void PrivateMapping_WrittenThenMadeReadOnly_KeepsWhatWasWritten()
    {
        // What the dynamic linker does to a library's relocated part: write, then mprotect read-only.
        Assert.SkipUnless(OperatingSystem.IsLinux(), "mmap and /proc/self/smaps");
        var path = WriteFile("relocated.bin");
        using var mapping = PrivateMapping.Map(path, FileBytes, writeThenProtect: (4096, 0xAB));

        var released = StartupPages.Release(_directory.Path);

        Assert.Equal(0, released.Mappings);
        Assert.Equal(0xAB, mapping.ReadByte(4096));
    }

    [Fact]
    public void CopyOnWriteMapping_WithWrittenPages_KeepsWhatWasWritten()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/smaps");
        var path = WriteFile("data.bin");
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite);
        using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.CopyOnWrite);
        view.Write(4096, (byte)0xAB);

        var released = StartupPages.Release(_directory.Path);

        Assert.Equal(0, released.Mappings);
        Assert.Equal(0xAB, view.ReadByte(4096));
    }

    public void Dispose() => _directory.Dispose();

    private string WriteFile(string name)
    {
        var bytes = new byte[FileBytes];
        new Random(7).NextBytes(bytes);
        var path = _directory.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static long Checksum(MemoryMappedViewAccessor view)
    {
        long sum = 0;
        for (long i = 0; i < FileBytes; i += 512)
        {
            sum = (sum * 31) + view.ReadByte(i);
        }

        return sum;
    }

    private static long ResidentKb(string path) =>
        SmapsReader.FileRegions(File.ReadLines("/proc/self/smaps")).Where(r => r.Path == path).Sum(r => r.RssKb);

    /// <summary>A file mapped MAP_PRIVATE through libc, as the dynamic linker maps a library.</summary>
    private sealed class PrivateMapping : IDisposable
    {
        private const int ProtRead = 1;
        private const int ProtWrite = 2;
        private const int MapPrivate = 2;
        private readonly nint _address;
        private readonly nuint _length;

        private PrivateMapping(nint address, nuint length)
        {
            _address = address;
            _length = length;
        }

        public static PrivateMapping Map(string path, int length, (int Offset, byte Value)? writeThenProtect = null)
        {
            using var file = File.OpenHandle(path);
            var protection = writeThenProtect is null ? ProtRead : ProtRead | ProtWrite;
            var address = Mmap(0, (nuint)length, protection, MapPrivate, (int)file.DangerousGetHandle(), 0);
            Assert.NotEqual(-1, address);
            var mapping = new PrivateMapping(address, (nuint)length);
            if (writeThenProtect is var (offset, value))
            {
                Marshal.WriteByte(address, offset, value);
                Assert.Equal(0, Mprotect(address, (nuint)length, ProtRead));
            }

            _ = mapping.Checksum();
            return mapping;
        }

        public byte ReadByte(int offset) => Marshal.ReadByte(_address, offset);

        public long Checksum()
        {
            long sum = 0;
            for (var i = 0; i < (int)_length; i += 512)
            {
                sum = (sum * 31) + Marshal.ReadByte(_address, i);
            }

            return sum;
        }

        public void Dispose() => _ = Munmap(_address, _length);

        [DllImport("libc", EntryPoint = "mmap")]
        private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

        [DllImport("libc", EntryPoint = "mprotect")]
        private static extern int Mprotect(nint address, nuint length, int protection);

        [DllImport("libc", EntryPoint = "munmap")]
        private static extern int Munmap(nint address, nuint length);
    }
}
