using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers.Documents;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Upload;

[Trait("Category", "Unit")]
public sealed class UploadPolicyGateTests
{
    private static readonly Dictionary<string, UploadPolicy> Policies = new(StringComparer.Ordinal)
    {
        ["now"] = UploadPolicy.Immediate,
        ["wifi"] = UploadPolicy.WifiOnly,
        ["ask"] = UploadPolicy.OnRequest,
    };

    [Theory]
    [InlineData("now", false, true)]
    [InlineData("wifi", false, false)]
    [InlineData("wifi", true, true)]
    [InlineData("ask", true, false)]
    [InlineData("gone-from-the-set", false, true)]
    public void Policy_DecidesByTriggerAndNetwork(string trigger, bool unmetered, bool expected)
    {
        var gate = new UploadPolicyGate(Lookup, new Network(unmetered), new UploadRequests());

        Assert.Equal(expected, gate.MayUpload(Clip(trigger)));
    }

    [Fact]
    public void MostPermissiveTriggerOfTheClip_Wins()
    {
        var gate = new UploadPolicyGate(Lookup, new Network(false), new UploadRequests());

        Assert.True(gate.MayUpload(Clip("ask", "now")));
        Assert.False(gate.MayUpload(Clip("ask", "wifi")));
    }

    [Fact]
    public void OnRequest_GoesOnceRequested_AndStopsWhenDone()
    {
        var requests = new UploadRequests();
        var gate = new UploadPolicyGate(Lookup, new Network(false), requests);

        requests.Request("clip-ask");
        Assert.True(gate.MayUpload(Clip("ask")));
        requests.Done("clip-ask");
        Assert.False(gate.MayUpload(Clip("ask")));
    }

    private static UploadPolicy? Lookup(string id) => Policies.TryGetValue(id, out var p) ? p : null;

    private static StoredClip Clip(params string[] triggers) =>
        new("clip-" + triggers[0], "c.raw", 1, new string('0', 64), 1, triggers, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, null, DateTimeOffset.UnixEpoch);

    private sealed class Network(bool unmetered) : INetworkState
    {
        public bool IsUnmeteredUp => unmetered;
    }
}
