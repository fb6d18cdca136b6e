using System.Runtime.InteropServices;
using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Device.Tests.Inference;

[Trait("Category", "Unit")]
public sealed class NativeHeapTests
{
    /// <summary>
    /// A wrong library or entry point name would be swallowed as "no glibc" and the model load's
    /// transients (160 MiB with ResNet18) would silently stay resident again.
    /// </summary>
    [Fact]
    public void Trim_ReachesGlibcsMallocTrim_OnLinux()
    {
        var glibc = OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);

        Assert.Equal(glibc, NativeHeap.Trim());
    }
}
