using DataCentric.Edge.Agent.Memory;

namespace DataCentric.Edge.Agent.Tests.Memory;

public sealed class SmapsReaderTests
{
    private const string App = "/opt/dce-agent/";

    private static readonly string[] Smaps =
    [
        "55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0                          [heap]",
        "Rss:                 132 kB",
        "Anonymous:           132 kB",
        "7f0000000000-7f0000f00000 r-xp 00200000 08:01 4242                       /opt/dce-agent/libonnxruntime.so",
        "Size:              15360 kB",
        "Rss:               15104 kB",
        "Anonymous:             0 kB",
        "Swap:                  0 kB",
        "SwapPss:               0 kB",
        "VmFlags: rd ex mr mw me sd",
        "7f0001000000-7f0001300000 r--p 01100000 08:01 4242                       /opt/dce-agent/libonnxruntime.so",
        "Rss:                3100 kB",
        "Anonymous:           300 kB",
        "7f0002000000-7f0002100000 rw-p 01400000 08:01 4242                       /opt/dce-agent/libonnxruntime.so",
        "Rss:                  64 kB",
        "Anonymous:             0 kB",
        "7f0003000000-7f0003200000 r--s 00000000 08:01 4343                       /opt/dce-agent/System.Private.CoreLib.dll",
        "Rss:                1800 kB",
        "Anonymous:             0 kB",
        "Swap:                  0 kB",
        "VmFlags: rd mr me ms sd",
        "7f0003300000-7f0003400000 r--p 00300000 08:01 4646                       /opt/dce-agent/libcoreclr.so",
        "Rss:                 900 kB",
        "Anonymous:             0 kB",
        "Swap:                 40 kB",
        "VmFlags: rd mr mw me ac sd",
        "7f0003500000-7f0003600000 r--p 00400000 08:01 4646                       /opt/dce-agent/libclrjit.so",
        "Rss:                 500 kB",
        "Anonymous:             0 kB",
        "Swap:                  0 kB",
        "VmFlags: rd mr mw me ac sd",
        "7f0003700000-7f0003800000 r-xp 00000000 08:01 4747                       /opt/dce-agent/libe_sqlite3.so",
        "Rss:                 300 kB",
        "Anonymous:             0 kB",
        "7f0004000000-7f0004100000 r-xp 00000000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6",
        "Rss:                1300 kB",
        "Anonymous:             0 kB",
        "7f0005000000-7f0005100000 rw-s 00000000 00:01 77                         /memfd:doublemapper (deleted)",
        "Rss:               10800 kB",
        "Anonymous:             0 kB",
        "7f0006000000-7f0006100000 r-xp 00000000 08:01 4444                       /opt/dce-agent/old build.so (deleted)",
        "Rss:                 400 kB",
        "Anonymous:             0 kB",
        "7f0007000000-7f0007100000 r-xp 00000000 08:01 4545                       /opt/dce-agent/libSkiaSharp.so",
        "Rss:                   0 kB",
        "Anonymous:             0 kB",
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]",
        "Rss:                  60 kB",
        "Anonymous:            60 kB",
    ];

    [Fact]
    public void ReadsEveryFileMapping_WithItsRangePermissionsAndPages()
    {
        var regions = SmapsReader.FileRegions(Smaps);

        Assert.Equal(11, regions.Count);
        var text = regions[0];
        Assert.Equal((0x7f0000000000UL, 0x7f0000f00000UL, "r-xp", "/opt/dce-agent/libonnxruntime.so", 15104L, 0L, 0L), (text.Start, text.End, text.Permissions, text.Path, text.RssKb, text.AnonymousKb, text.SwapKb));
        Assert.Equal(["ex", "me", "mr", "mw", "rd", "sd"], text.Flags!.Order(StringComparer.Ordinal));
        Assert.Equal(40, regions[4].SwapKb);
        Assert.Equal("/opt/dce-agent/old build.so (deleted)", regions[9].Path);
    }

    [Fact]
    public void OnlyTheAppsOwnUnwrittenFilePages_MayBeDropped()
    {
        var droppable = SmapsReader.FileRegions(Smaps).Where(r => r.IsCleanFileCode(App)).Select(r => (r.Permissions, r.Path));

        // Not: copied pages in memory (relocations) or in swap, once writable ("ac"), no VmFlags to
        // tell, writable, another directory, memfd, deleted, nothing resident.
        Assert.Equal([("r-xp", "/opt/dce-agent/libonnxruntime.so"), ("r--s", "/opt/dce-agent/System.Private.CoreLib.dll")], droppable);
    }

    [Fact]
    public void LinesThatAreNotMappings_AreNotTakenForOne()
    {
        var regions = SmapsReader.FileRegions(["VmFlags: rd ex mr mw me dw sd", "THPeligible:    0", "garbage-line without fields", string.Empty]);

        Assert.Empty(regions);
    }
}
