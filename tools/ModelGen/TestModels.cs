namespace DataCentric.Edge.ModelGen;

/// <summary>
/// Tiny models with outputs known by construction, for exact tests of the output adapters and the
/// pre-processing. Each reads its image (so the runtime cannot skip the input) and documents the
/// values the tests expect.
/// </summary>
internal static class TestModels
{
    /// <summary>
    /// Classifier, image float[1,3,8,8] → logits [1,4] = 10 × (mean R, mean G, mean B, 0.5). A pure
    /// red frame gives logits (10, 0, 0, 5).
    /// </summary>
    public static byte[] Classifier()
    {
        var g = new OnnxGraphBuilder("test-classifier");
        var image = g.Input("image", 1, 3, 8, 8);
        var means = g.Node("Reshape", [ChannelMeans(g, image), g.Int64s(1, 3)]);
        var withHalf = g.Node("Concat", [means, g.Floats([1, 1], 0.5f)], null, OnnxGraphBuilder.Int("axis", 1));
        g.Output(g.Node("Mul", [withHalf, g.Scalar(10f)]), "logits", 1, 4);
        return g.Build("1.0.0", "Test classifier: logits = 10 x (mean R, mean G, mean B, 0.5).");
    }

    /// <summary>
    /// YOLOv8 layout, image float[1,3,32,32] → output0 [1, 4+2, 4] (cx, cy, w, h, class 0, class 1 per
    /// anchor, input pixels), the same for every image:
    /// anchor 0 (8,8,8,8) 0.9/0.1; anchor 1 (9,8,8,8) 0.8/0.05, IoU 0.78 with anchor 0, so NMS drops
    /// it; anchor 2 (24,24,4,8) 0.1/0.7; anchor 3 (16,16,4,4) 0.2/0.1, below a 0.25 threshold.
    /// </summary>
    public static byte[] YoloV8Detector()
    {
        var g = new OnnxGraphBuilder("test-yolov8");
        var image = g.Input("images", 1, 3, 32, 32);
        float[][] anchors = [[8, 8, 8, 8, 0.9f, 0.1f], [9, 8, 8, 8, 0.8f, 0.05f], [24, 24, 4, 8, 0.1f, 0.7f], [16, 16, 4, 4, 0.2f, 0.1f]];
        var table = new float[6 * anchors.Length];
        for (var a = 0; a < anchors.Length; a++)
        {
            for (var attribute = 0; attribute < 6; attribute++)
            {
                table[(attribute * anchors.Length) + a] = anchors[a][attribute];
            }
        }

        g.Output(PlusZeroTimes(g, g.Floats([1, 6, anchors.Length], table), image), "output0", 1, 6, anchors.Length);
        return g.Build("1.0.0", "Test detector, YOLOv8 layout [1, 4+classes, anchors]: constant boxes (see ModelGen).");
    }

    /// <summary>
    /// YOLOv5 layout, image float[1,3,32,32] → output [1, 3, 5+2] (cx, cy, w, h, objectness, class 0,
    /// class 1): anchor 0 (16,16,16,16) obj 0.9 classes 0.2/0.8 → class 1, score 0.72; anchor 1 obj 0.1
    /// (dropped); anchor 2 (4,4,4,4) obj 1.0 classes 0.5/0.1 → class 0, score 0.5.
    /// </summary>
    public static byte[] YoloV5Detector()
    {
        var g = new OnnxGraphBuilder("test-yolov5");
        var image = g.Input("images", 1, 3, 32, 32);
        float[] table = [16, 16, 16, 16, 0.9f, 0.2f, 0.8f, 16, 16, 16, 16, 0.1f, 0.9f, 0.9f, 4, 4, 4, 4, 1f, 0.5f, 0.1f];
        g.Output(PlusZeroTimes(g, g.Floats([1, 3, 7], table), image), "output", 1, 3, 7);
        return g.Build("1.0.0", "Test detector, YOLOv5 layout [1, anchors, 5+classes]: constant boxes (see ModelGen).");
    }

    /// <summary>
    /// SSD style, image float[1,3,32,32] → boxes [1,2,4] (ymin, xmin, ymax, xmax in 0..1) and scores
    /// [1,2,3]: box 0 (0.1,0.2,0.5,0.6) best class 2 at 0.6; box 1 best score 0.2 (dropped).
    /// </summary>
    public static byte[] SsdDetector()
    {
        var g = new OnnxGraphBuilder("test-ssd");
        var image = g.Input("image", 1, 3, 32, 32);
        g.Output(PlusZeroTimes(g, g.Floats([1, 2, 4], 0.1f, 0.2f, 0.5f, 0.6f, 0.5f, 0.5f, 0.9f, 0.9f), image), "boxes", 1, 2, 4);
        g.Output(PlusZeroTimes(g, g.Floats([1, 2, 3], 0.1f, 0.3f, 0.6f, 0.2f, 0.1f, 0.1f), image), "scores", 1, 2, 3);
        return g.Build("1.0.0", "Test detector, SSD style boxes and scores: constant (see ModelGen).");
    }

    /// <summary>
    /// Regressor, image float[1,3,16,16] → steer [1,1] = mean R − mean B, and controls [1,2] =
    /// (mean G, 2 × mean G).
    /// </summary>
    public static byte[] Regressor()
    {
        var g = new OnnxGraphBuilder("test-regressor");
        var image = g.Input("image", 1, 3, 16, 16);
        var means = g.Node("Reshape", [ChannelMeans(g, image), g.Int64s(1, 3)]);
        var red = g.Node("Slice", [means, g.Int64s(0), g.Int64s(1), g.Int64s(1)]);
        var green = g.Node("Slice", [means, g.Int64s(1), g.Int64s(2), g.Int64s(1)]);
        var blue = g.Node("Slice", [means, g.Int64s(2), g.Int64s(3), g.Int64s(1)]);
        g.Output(g.Node("Sub", [red, blue]), "steer", 1, 1);
        g.Output(g.Node("Concat", [green, g.Node("Mul", [green, g.Scalar(2f)])], null, OnnxGraphBuilder.Int("axis", 1)), "controls", 1, 2);
        return g.Build("1.0.0", "Test regressor: steer = mean R - mean B; controls = (mean G, 2 mean G).");
    }

    /// <summary>Raw pixels, image uint8[1,4,4,3] (NHWC) → channel_means [1,3] = mean of each channel as given (0..255).</summary>
    public static byte[] ByteNhwcMeans()
    {
        var g = new OnnxGraphBuilder("test-uint8-nhwc");
        var image = g.ByteInput("pixels", 1, 4, 4, 3);
        var floats = g.Node("Cast", [image], null, OnnxGraphBuilder.Int("to", 1));
        var means = g.Node("ReduceMean", [floats], null, OnnxGraphBuilder.Ints("axes", 1, 2), OnnxGraphBuilder.Int("keepdims", 0));
        g.Output(means, "channel_means", 1, 3);
        return g.Build("1.0.0", "Test uint8 NHWC input: mean of each channel in the order given.");
    }

    /// <summary>
    /// Output whose size depends on the pixels, image float[1,3,4,4] → bright [4, n] = indexes of the
    /// values above 0.5 (NonZero), as float. A blank frame gives n = 0; any brighter frame gives another
    /// shape than the one measured at load, so ONNX Runtime fails the run: a model that breaks at run time.
    /// </summary>
    public static byte[] DynamicOutput()
    {
        var g = new OnnxGraphBuilder("test-dynamic-output");
        var image = g.Input("image", 1, 3, 4, 4);
        var bright = g.Node("NonZero", [g.Node("Greater", [image, g.Scalar(0.5f)])]);
        g.Output(g.Node("Cast", [bright], null, OnnxGraphBuilder.Int("to", 1)), "bright", 4, -1);
        return g.Build("1.0.0", "Test model whose output shape depends on the input (NonZero).");
    }

    private static string ChannelMeans(OnnxGraphBuilder g, string image) =>
        g.Node("ReduceMean", [image], null, OnnxGraphBuilder.Ints("axes", 2, 3), OnnxGraphBuilder.Int("keepdims", 1));

    /// <summary>constant + 0 × mean(image): the output is the constant, but the graph still reads the image.</summary>
    private static string PlusZeroTimes(OnnxGraphBuilder g, string constant, string image)
    {
        var mean = g.Node("ReduceMean", [image], null, OnnxGraphBuilder.Ints("axes", 1, 2, 3), OnnxGraphBuilder.Int("keepdims", 0));
        return g.Node("Add", [constant, g.Node("Mul", [mean, g.Scalar(0f)])]);
    }
}
