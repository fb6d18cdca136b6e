using DataCentric.Edge.FleetService.ObjectStore;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

[Trait("Category", "Unit")]
public sealed class ClipObjectKeysTests
{
    [Theory]
    [InlineData("", "fleet-a/pi-01/2026-12-05/0190f3c2a1b27c4e.mcap")]
    [InlineData("clips/", "clips/fleet-a/pi-01/2026-12-05/0190f3c2a1b27c4e.mcap")]
    [InlineData("prod/clips/", "prod/clips/fleet-a/pi-01/2026-12-05/0190f3c2a1b27c4e.mcap")]
    public void For_IsPrefixFleetDeviceDayAndClipId(string prefix, string expected)
    {
        var start = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, ClipObjectKeys.For(prefix, "fleet-a", "pi-01", start, "0190f3c2a1b27c4e"));
    }

    [Fact]
    public void For_DatesTheClipByItsStartInUtc()
    {
        var lateEvening = new DateTimeOffset(2026, 12, 5, 23, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal("f/d/2026-12-06/c.mcap", ClipObjectKeys.For(string.Empty, "f", "d", lateEvening, "c"));
    }

    [Theory]
    [InlineData("clips", "f", "d", "c")] // Prefix without its '/'.
    [InlineData("/clips/", "f", "d", "c")]
    [InlineData("", "f/g", "d", "c")]
    [InlineData("", "f", "..", "c")]
    [InlineData("", "f", "d", ".hidden")]
    [InlineData("", "f", "d", "c d")]
    [InlineData("", "", "d", "c")]
    [InlineData("", "f", "d", "ü")]
    public void For_RefusesPartsThatWouldBreakTheLayout(string prefix, string fleet, string device, string clipId)
    {
        Assert.ThrowsAny<ArgumentException>(() => ClipObjectKeys.For(prefix, fleet, device, DateTimeOffset.UnixEpoch, clipId));
    }

    [Theory]
    [InlineData("f/d/2026-12-05/c.mcap", true)]
    [InlineData("tenant=a/f/d/2026-12-05/c.mcap", true)]
    [InlineData("../c.mcap", false)]
    [InlineData("f/./c.mcap", false)]
    [InlineData("f/d/", false)]
    [InlineData("f\\d", false)]
    [InlineData("f/d/c.mcap?x", false)]
    public void Validate_AcceptsOnlySafeRelativeKeys(string key, bool valid)
    {
        var error = Record.Exception(() => ClipObjectKeys.Validate(key));

        Assert.Equal(valid, error is null);
    }
}
