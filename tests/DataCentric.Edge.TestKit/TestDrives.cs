using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.TestKit;

/// <summary>Recorded drives with known signals, written as real MCAP files.</summary>
public static class TestDrives
{
    /// <summary>
    /// 20 s at 20 Hz: the shadow model sees an obstacle in [5, 7) s and [12, 14) s; the controller
    /// brakes only in the second, so the truth says it missed [5, 7).
    /// </summary>
    public static ClipContent MissedObstacleDrive()
    {
        var signals = new List<SignalUpdate>();
        for (var i = 0; i <= 400; i++)
        {
            var t = TimeSpan.FromMilliseconds(i * 50);
            var s = t.TotalSeconds;
            var obstacle = s is >= 5 and < 7 or >= 12 and < 14;
            var brake = s is >= 12.1 and < 14;
            signals.Add(new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(obstacle ? 0.9 : 0.1), t)));
            signals.Add(new SignalUpdate(new SignalId(1), "primary.brake", new SignalSample(SignalValue.FromBool(brake), t)));
            signals.Add(new SignalUpdate(new SignalId(2), "truth.primary_missed", new SignalSample(SignalValue.FromBool(s is >= 5 and < 7), t)));
        }

        return new ClipContent("drive-test", TimeSpan.Zero, TimeSpan.FromSeconds(20), DateTimeOffset.UnixEpoch, [], signals, [], new Dictionary<string, string>());
    }

    public static string Write(ClipContent drive, string path)
    {
        using var file = File.Create(path);
        new McapClipWriter().Write(drive, file);
        return path;
    }
}
