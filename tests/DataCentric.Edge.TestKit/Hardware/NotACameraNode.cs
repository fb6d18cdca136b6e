using System.Diagnostics;

namespace DataCentric.Edge.TestKit.Hardware;

/// <summary>
/// A /dev/videoN node that is no camera: a character device with the null device's numbers, the
/// way a Pi's codec or metadata node answers a capture program (opens fine, offers no capture
/// format). Needs root (mknod); <see cref="TryCreate"/> gives null without it. Removed on dispose.
/// </summary>
public sealed class NotACameraNode : IDisposable
{
    private NotACameraNode(int busId) => BusId = busId;

    public int BusId { get; }

    public string Path => $"/dev/video{BusId}";

    public static NotACameraNode? TryCreate()
    {
        var busId = Enumerable.Range(90, 10).FirstOrDefault(n => !File.Exists($"/dev/video{n}"));
        if (busId == 0 || Environment.UserName != "root")
        {
            return null;
        }

        using var mknod = Process.Start(new ProcessStartInfo("mknod", [$"/dev/video{busId}", "c", "1", "3"]) { RedirectStandardError = true });
        mknod?.WaitForExit();
        return mknod?.ExitCode == 0 ? new NotACameraNode(busId) : null;
    }

    public void Dispose() => File.Delete(Path);
}
