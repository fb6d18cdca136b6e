using System.Diagnostics;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests;

/// <summary>
/// A small file system for disk-full tests: a real tmpfs mounted for the test where the machine
/// allows it (root), otherwise a simulated one, whose writer reports ENOSPC once the folder holds
/// its capacity and whose free space is the capacity less what the folder holds.
/// </summary>
internal sealed class SizeLimitedVolume : IDisposable
{
    private const int Enospc = 28;
    private readonly TempDirectory _mountPoint = new("dce-tmpfs");

    public SizeLimitedVolume(long capacityBytes)
    {
        CapacityBytes = capacityBytes;
        IsRealFileSystem = Run("mount", "-t", "tmpfs", "-o", $"size={capacityBytes}", "dce-test", _mountPoint.Path) == 0;
        WhyNotReal = IsRealFileSystem ? null : "mounting a tmpfs is not permitted here; the disk-full path runs on a simulated volume";
    }

    public long CapacityBytes { get; }

    public bool IsRealFileSystem { get; }

    public string? WhyNotReal { get; }

    public string Path => _mountPoint.Path;

    /// <summary>Free bytes: the kernel's on tmpfs, capacity less the folder's files when simulated.</summary>
    public long FreeBytes() => IsRealFileSystem ? new DriveInfo(Path).AvailableFreeSpace : CapacityBytes - UsedBytes();

    /// <summary>The writer as-is on tmpfs (the kernel says ENOSPC); wrapped to say it when simulated.</summary>
    public IClipWriter Limit(IClipWriter writer) => IsRealFileSystem ? writer : new LimitedWriter(writer, this);

    public void Dispose()
    {
        if (IsRealFileSystem)
        {
            Run("umount", _mountPoint.Path);
        }

        _mountPoint.Dispose();
    }

    private long UsedBytes() => Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static int Run(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private sealed class LimitedWriter(IClipWriter inner, SizeLimitedVolume volume) : IClipWriter
    {
        public string FileExtension => inner.FileExtension;

        public void Write(ClipContent clip, Stream destination) => inner.Write(clip, new LimitedStream(destination, volume.FreeBytes()));
    }

    private sealed class LimitedStream(Stream inner, long free) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            // Bytes already flushed to the temp file count against the volume, so compare with free at start.
            _written += buffer.Length;
            if (_written > free)
            {
                throw new IOException("No space left on device", Enospc);
            }

            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
