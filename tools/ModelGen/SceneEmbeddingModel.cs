namespace DataCentric.Edge.ModelGen;

/// <summary>
/// The perception demo's embedder: a coarse colour layout of the frame. Each channel is averaged
/// over an 8 × 8 grid of cells (12 × 16 input pixels each), less that channel's mean over the whole
/// frame, and the 192 differences are the embedding. Without the frame's mean colour, which the
/// agent's L2 normalisation would otherwise let dominate, what is where sets the direction: frames
/// that look alike (a long stop behind the same car) lie close together, a car nearer or gone moves
/// the vector. Computed from pixels only.
/// </summary>
internal static class SceneEmbeddingModel
{
    public const int Width = 128;
    public const int Height = 96;
    private const int Cells = 8;

    public static byte[] Build()
    {
        var g = new OnnxGraphBuilder("scene-embedding");
        var image = g.Input("image", 1, 3, Height, Width);
        int cellHeight = Height / Cells, cellWidth = Width / Cells;
        var grid = g.Node(
            "AveragePool",
            [image],
            null,
            OnnxGraphBuilder.Ints("kernel_shape", cellHeight, cellWidth),
            OnnxGraphBuilder.Ints("strides", cellHeight, cellWidth));
        var frameMean = g.Node("ReduceMean", [grid], null, OnnxGraphBuilder.Ints("axes", 2, 3), OnnxGraphBuilder.Int("keepdims", 1));
        var layout = g.Node("Sub", [grid, frameMean]);
        var embedding = g.Node("Reshape", [layout, g.Int64s(1, 3 * Cells * Cells)]);
        g.Output(embedding, "embedding", 1, 3 * Cells * Cells);
        return g.Build("1.0.0", "Colour layout embedding: the mean of each RGB channel over an 8 x 8 grid less its frame mean, 192 values. Input RGB NCHW in 0..1.");
    }
}
