using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>Tickets tell the uploader whether a pull came while the clip was already going up.</summary>
[Trait("Category", "Unit")]
public sealed class UploadRequestsTests
{
    [Fact]
    public void ARequestServed_IsDone()
    {
        var requests = new UploadRequests();
        requests.Request("c1");

        Assert.True(requests.Done("c1", requests.Ticket("c1")));
        Assert.False(requests.IsRequested("c1"));
    }

    [Fact]
    public void ARequestThatCameDuringTheUpload_StaysRequested()
    {
        var requests = new UploadRequests();
        requests.Request("c1");
        var served = requests.Ticket("c1");
        requests.Request("c1");

        Assert.False(requests.Done("c1", served));
        Assert.True(requests.IsRequested("c1"));
        Assert.True(requests.Done("c1", requests.Ticket("c1")));
    }

    [Fact]
    public void AClipUploadedByItsPolicy_ThenPulledDuringTheUpload_IsNotDone()
    {
        var requests = new UploadRequests();
        var served = requests.Ticket("c1");
        requests.Request("c1");

        Assert.Null(served);
        Assert.False(requests.Done("c1", served));
        Assert.True(requests.Done("c2", requests.Ticket("c2")));
    }
}
