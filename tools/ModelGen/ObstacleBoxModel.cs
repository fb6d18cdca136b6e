using Onnx;

namespace DataCentric.Edge.ModelGen;

/// <summary>
/// The demo's box detector, for comparing boxes with the simulated controller's: the box around the
/// car's pixels, which are red (the body) or dark (tyres, windows) in a scene of sky, grass, grey
/// road and white markings. Output in the YOLOv8 layout [1, 4 + 1 class, 1 anchor] in input pixels;
/// the score grows with the number of car pixels (1 at 200 or more), so a far, tiny car scores low
/// and the detection adapter's threshold (0.25: about 50 pixels, a car nearer than about 21 m)
/// keeps it out. Computed from pixels only.
/// </summary>
internal static class ObstacleBoxModel
{
    public const int Width = 128;
    public const int Height = 96;

    private const float RednessAbove = 0.3f;
    private const float DarkBelow = 0.2f;
    private const float PixelsForFullScore = 200f;

    public static byte[] Build()
    {
        var g = new OnnxGraphBuilder("obstacle-boxes");
        var image = g.Input("image", 1, 3, Height, Width);
        var red = Channel(g, image, 0);
        var green = Channel(g, image, 1);
        var blue = Channel(g, image, 2);
        var redness = g.Node("Sub", [red, g.Node("Max", [green, blue])]);
        var isRed = g.Node("Greater", [redness, g.Scalar(RednessAbove)]);
        var isDark = g.Node("Less", [g.Node("Max", [red, green, blue]), g.Scalar(DarkBelow)]);
        var mask = g.Node("Cast", [g.Node("Or", [isRed, isDark])], null, OnnxGraphBuilder.Int("to", (int)TensorProto.Types.DataType.Float));

        // Which columns and rows hold a car pixel: the first and last of each are the box's edges.
        var columns = g.Node("ReduceMax", [mask], null, OnnxGraphBuilder.Ints("axes", 1, 2), OnnxGraphBuilder.Int("keepdims", 0));
        var rows = g.Node("ReduceMax", [mask], null, OnnxGraphBuilder.Ints("axes", 1, 3), OnnxGraphBuilder.Int("keepdims", 0));
        var left = Index(g, columns, last: false);
        var right = g.Node("Add", [Index(g, columns, last: true), g.Scalar(1f)]);
        var top = Index(g, rows, last: false);
        var bottom = g.Node("Add", [Index(g, rows, last: true), g.Scalar(1f)]);

        var pixels = g.Node("ReduceSum", [g.Node("Reshape", [mask, g.Int64s(1, Height * Width)]), g.Int64s(1)], null, OnnxGraphBuilder.Int("keepdims", 1));
        var score = g.Node("Min", [g.Node("Div", [pixels, g.Scalar(PixelsForFullScore)]), g.Scalar(1f)]);

        var centreX = g.Node("Mul", [g.Node("Add", [left, right]), g.Scalar(0.5f)]);
        var centreY = g.Node("Mul", [g.Node("Add", [top, bottom]), g.Scalar(0.5f)]);
        var boxWidth = g.Node("Sub", [right, left]);
        var boxHeight = g.Node("Sub", [bottom, top]);
        var row = g.Node("Concat", [centreX, centreY, boxWidth, boxHeight, score], null, OnnxGraphBuilder.Int("axis", 1));
        g.Output(g.Node("Reshape", [row, g.Int64s(1, 5, 1)]), "output0", 1, 5, 1);
        return g.Build("1.0.0", "Box around the car's red and dark pixels, YOLOv8 layout [1, 5, 1] in input pixels; score = car pixels / 200, at most 1. Input RGB NCHW in 0..1.");
    }

    private static string Channel(OnnxGraphBuilder g, string tensor, long channel) =>
        g.Node("Slice", [tensor, g.Int64s(channel), g.Int64s(channel + 1), g.Int64s(1)]);

    /// <summary>The first (or last) index holding a 1 along axis 1, as float [1, 1].</summary>
    private static string Index(OnnxGraphBuilder g, string presence, bool last) =>
        g.Node(
            "Cast",
            [g.Node("ArgMax", [presence], null, OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 1), OnnxGraphBuilder.Int("select_last_index", last ? 1 : 0))],
            null,
            OnnxGraphBuilder.Int("to", (int)TensorProto.Types.DataType.Float));
}
