using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

[Trait("Category", "Unit")]
public sealed class McapClipRoundTripTests
{
    [Fact]
    public void Read_RestoresEverythingWritten()
    {
        var clip = McapTestClips.Create(frameCount: 40, seed: 3);

        var restored = McapTestClips.Read(McapTestClips.Write(clip));

        McapTestClips.AssertSameContent(clip, restored);
    }
}
