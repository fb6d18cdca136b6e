using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Device.Tests.Inference;

[Trait("Category", "Unit")]
public sealed class BilinearResizerTests
{
    [Fact]
    public void Upscale_InterpolatesBetweenPixelCentres_AndClampsAtTheEdges()
    {
        Assert.Equal([0, 64, 191, 255], ResizeRow([0, 255], 4));
    }

    [Fact]
    public void Downscale_ByTwo_AveragesNeighbours()
    {
        Assert.Equal([50, 228], ResizeRow([0, 100, 200, 255], 2));
    }

    [Fact]
    public void SameSize_IsAnExactCopy_IntoTheTargetArea()
    {
        var source = Rgba([7, 8, 9]);
        var target = new byte[5 * 4];

        new BilinearResizer().Resize(source, 3, 1, 12, target, 20, 1, 0, 3, 1);

        Assert.Equal([0, 7, 8, 9, 0], Enumerable.Range(0, 5).Select(i => target[i * 4]));
    }

    private static byte[] ResizeRow(byte[] reds, int width)
    {
        var target = new byte[width * 4];
        new BilinearResizer().Resize(Rgba(reds), reds.Length, 1, reds.Length * 4, target, width * 4, 0, 0, width, 1);
        return [.. Enumerable.Range(0, width).Select(i => target[i * 4])];
    }

    private static byte[] Rgba(byte[] reds) => [.. reds.SelectMany(r => new byte[] { r, 0, 0, 255 })];
}
