namespace DataCentric.Edge.ModelGen;

/// <summary>
/// The walking skeleton's shadow model: "is there an obstacle in the lower-centre of the image,
/// and how sure". It measures how red the lower-centre region is (red minus the larger of green
/// and blue, clipped at zero, averaged) and squashes that into a score. Computed from pixels only.
/// </summary>
internal static class ObstacleModel
{
    public const int Width = 128;
    public const int Height = 96;

    // Mean redness of the region at which the score crosses 0.5, and how sharply (calibrated on
    // the synthetic scene: empty road 0.000, a car at 12 m 0.025, at 9 m 0.045, at 5 m 0.150),
    // so the score crosses 0.5 near 10.5 m.
    private const float RednessAtHalf = 0.035f;
    private const float Sharpness = 80f;

    public static byte[] Build()
    {
        var g = new OnnxGraphBuilder("obstacle-detector");
        var image = g.Input("image", 1, 3, Height, Width);

        // Lower half of the rows, centre half of the columns.
        var region = g.Node("Slice", [image, g.Int64s(Height / 2, Width / 4), g.Int64s(Height, Width * 3 / 4), g.Int64s(2, 3)]);
        var red = Channel(g, region, 0);
        var green = Channel(g, region, 1);
        var blue = Channel(g, region, 2);
        var redness = g.Node("Relu", [g.Node("Sub", [red, g.Node("Max", [green, blue])])]);
        var mean = g.Node("ReduceMean", [redness], null, OnnxGraphBuilder.Ints("axes", 1, 2, 3), OnnxGraphBuilder.Int("keepdims", 1));
        var flat = g.Node("Reshape", [mean, g.Int64s(1, 1)]);
        var logit = g.Node("Mul", [g.Node("Sub", [flat, g.Scalar(RednessAtHalf)]), g.Scalar(Sharpness)]);
        g.Output(g.Node("Sigmoid", [logit]), "obstacle_score", 1, 1);
        g.Output(flat, "redness", 1, 1);
        return g.Build("1.0.0", "Obstacle in the lower-centre region: score in 0..1 and raw redness. Input RGB NCHW in 0..1.");
    }

    private static string Channel(OnnxGraphBuilder g, string tensor, long channel) =>
        g.Node("Slice", [tensor, g.Int64s(channel), g.Int64s(channel + 1), g.Int64s(1)]);
}
