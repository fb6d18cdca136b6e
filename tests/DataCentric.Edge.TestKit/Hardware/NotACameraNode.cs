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

    /// <summary>
    /// Makes the node at the first free /dev/video90-99. mknod itself is the claim (it fails on an
    /// existing name), so test processes running side by side each get their own node.
    /// </summary>
    /// <exception cref="InvalidOperationException">Running as root, yet no node could be made.</exception>
    public static NotACameraNode? TryCreate()
    {
        if (Environment.UserName != "root")
        {
            return null;
        }

        var errors = new List<string>();
        for (var busId = 90; busId < 100; busId++)
        {
            using var mknod = Process.Start(new ProcessStartInfo("mknod", [$"/dev/video{busId}", "c", "1", "3"]) { RedirectStandardError = true })!;
            var error = mknod.StandardError.ReadToEnd();
            mknod.WaitForExit();
            if (mknod.ExitCode == 0)
            {
                return new NotACameraNode(busId);
            }

            errors.Add(error.Trim());
        }

        throw new InvalidOperationException($"mknod made no /dev/video90-99 as root: {string.Join("; ", errors.Distinct())}");
    }

    public void Dispose() => File.Delete(Path);
}
