using DataCentric.Edge.FleetService.ObjectStore;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

[Trait("Category", "Unit")]
public sealed class ClipObjectMetadataTests
{
    [Fact]
    public void Headers_RoundTrip_TriggerIdsWithCommasAndNonAscii()
    {
        var metadata = new ClipObjectMetadata("c1", ["hard_brake", "a,b", "überholen", ""], new string('f', 64), new string('0', 64));

        var headers = metadata.ToHeaders();
        var back = ClipObjectMetadata.FromHeaders(name => headers.GetValueOrDefault(name));

        Assert.Equal(metadata, back);
        Assert.All(headers.Values, value => Assert.True(value.All(char.IsAscii) && !value.Any(char.IsControl)));
    }

    [Fact]
    public void Headers_LeaveOutWhatIsNotKnown()
    {
        var headers = new ClipObjectMetadata("c1", [], null).ToHeaders();

        Assert.Equal(["clip-id", "trigger-ids"], headers.Keys.Order());
        Assert.Equal(new ClipObjectMetadata("c1", [], null), ClipObjectMetadata.FromHeaders(name => headers.GetValueOrDefault(name)));
    }

    [Fact]
    public void Headers_LargerThanS3Allows_AreRefused()
    {
        var metadata = new ClipObjectMetadata("c1", [.. Enumerable.Range(0, 200).Select(i => $"trigger_{i:D4}")], null);

        var e = Assert.Throws<ArgumentException>(metadata.ToHeaders);

        Assert.Contains("2048", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_ComparesTriggerIdsByValue()
    {
        Assert.Equal(new ClipObjectMetadata("c", ["a", "b"], "m"), new ClipObjectMetadata("c", new List<string> { "a", "b" }, "m"));
        Assert.NotEqual(new ClipObjectMetadata("c", ["a", "b"], "m"), new ClipObjectMetadata("c", ["b", "a"], "m"));
    }
}
