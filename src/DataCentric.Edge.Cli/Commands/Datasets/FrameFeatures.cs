using System.Numerics.Tensors;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using SkiaSharp;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// The vector diversity sampling compares frames by: the shadow embedding the agent recorded for the
/// frame (a vector signal stamped with the frame's time), or, for a dataset whose clips carry no
/// embedding, the frame itself shrunk to an 8×8 RGB thumbnail (a coarse look at the scene; said so in
/// the report). Both are scaled to unit length, so distances lie in [0, 2] whatever the model.
/// </summary>
internal static class FrameFeatures
{
    public const int ThumbnailSide = 8;

    public static string ThumbnailName => $"downscaled frame ({ThumbnailSide}×{ThumbnailSide} RGB)";

    /// <summary>The clip's embedding vectors by frame time; empty when the clip has none.</summary>
    public static Dictionary<TimeSpan, float[]> Embeddings(ClipContent clip, string signal)
    {
        var vectors = new Dictionary<TimeSpan, float[]>();
        foreach (var update in clip.Signals)
        {
            if (update.Name == signal && update.Sample.Value.Kind == SignalKind.Vector && update.Sample.Value.AsVector.Length > 0)
            {
                vectors[update.Sample.Time] = Normalised(update.Sample.Value.AsVector.Span);
            }
        }

        return vectors;
    }

    /// <exception cref="InvalidDataException">The frame's image does not decode.</exception>
    public static float[] Thumbnail(Frame frame)
    {
        using var data = SKData.CreateCopy(frame.Data.Span);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"the image ({frame.Data.Length} bytes) does not decode");

        // JPEG decodes at 1/8 scale almost for free (DCT scaling); the grid average does the rest.
        var size = codec.GetScaledDimensions(0.125f);
        using var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"the image ({frame.Data.Length} bytes) does not decode: {result}");
        }

        var pixels = bitmap.GetPixelSpan();
        var sums = new float[ThumbnailSide * ThumbnailSide * 3];
        var counts = new int[ThumbnailSide * ThumbnailSide];
        for (var y = 0; y < size.Height; y++)
        {
            var cellY = y * ThumbnailSide / size.Height;
            for (var x = 0; x < size.Width; x++)
            {
                var cell = (cellY * ThumbnailSide) + (x * ThumbnailSide / size.Width);
                var p = ((y * size.Width) + x) * 4;
                sums[(cell * 3) + 0] += pixels[p];
                sums[(cell * 3) + 1] += pixels[p + 1];
                sums[(cell * 3) + 2] += pixels[p + 2];
                counts[cell]++;
            }
        }

        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] /= Math.Max(1, counts[i / 3]) * 255f;
        }

        return Normalised(sums);
    }

    public static float Distance(float[] a, float[] b) => a.Length == b.Length ? TensorPrimitives.Distance(a, b) : float.PositiveInfinity;

    private static float[] Normalised(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(copy));
        if (norm > 0f && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }
}
