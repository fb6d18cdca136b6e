using System.Diagnostics;

namespace DataCentric.Edge.TestKit.Hardware;

/// <summary>
/// A /dev/videoN node that is no camera: a character device with the null device's numbers, the
/// way a Pi's codec or metadata node answers a capture program (opens fine, offers no capture
/// format). Needs root with the right to make device nodes; <see cref="TryCreate"/> gives null
/// without it. Removed on dispose.
/// </summary>
public sealed class NotACameraNode : IDisposable
{
    private NotACameraNode(int busId) => BusId = busId;

    public int BusId { get; }

    public string Path => $"/dev/video{BusId}";

    /// <summary>
    /// Makes the node at the first free /dev/video80-89 (tests take /dev/video97 to be absent).
    /// mknod itself is the claim (it fails on an existing name), so test processes running side by
    /// side each get their own node.
    /// </summary>
    /// <exception cref="InvalidOperationException">mknod failed for another reason, or every name was taken.</exception>
    public static NotACameraNode? TryCreate()
    {
        if (Environment.UserName != "root")
        {
            return null;
        }

        for (var busId = 80; busId < 90; busId++)
        {
            var start = new ProcessStartInfo("mknod", [$"/dev/video{busId}", "c", "1", "3"]) { RedirectStandardError = true };
            start.Environment["LC_ALL"] = "C";
            using var mknod = Process.Start(start)!;
            var error = mknod.StandardError.ReadToEnd().Trim();
            mknod.WaitForExit();
            if (mknod.ExitCode == 0)
            {
                return new NotACameraNode(busId);
            }

            if (error.Contains("Operation not permitted", StringComparison.Ordinal))
            {
                return null; // root without CAP_MKNOD (a user-namespace container)
            }

            if (!error.Contains("File exists", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"mknod /dev/video{busId}: {error}");
            }
        }

        throw new InvalidOperationException("/dev/video80-89 all exist: remove the ones earlier runs left behind (character devices 1,3)");
    }

    public void Dispose() => File.Delete(Path);
}
