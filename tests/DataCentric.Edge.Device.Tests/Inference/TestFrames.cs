using DataCentric.Edge.Core.Contracts;
using SkiaSharp;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>Frames with known pixels: packed RGB and YUYV (exact), and JPEG (lossy) of a solid colour.</summary>
internal static class TestFrames
{
    public static Frame Rgb(int width, int height, byte r, byte g, byte b, long sequence = 0)
    {
        var data = new byte[width * height * 3];
        for (var i = 0; i < data.Length; i += 3)
        {
            data[i] = r;
            data[i + 1] = g;
            data[i + 2] = b;
        }

        return new Frame(sequence, TimeSpan.FromMilliseconds(sequence * 33), DateTimeOffset.UnixEpoch, width, height, "rgb", data);
    }

    /// <summary>A YUYV frame where every pixel has the given luma and chroma.</summary>
    public static Frame Yuyv(int width, int height, byte y, byte u, byte v)
    {
        var data = new byte[width * height * 2];
        for (var i = 0; i < data.Length; i += 4)
        {
            data[i] = y;
            data[i + 1] = u;
            data[i + 2] = y;
            data[i + 3] = v;
        }

        return new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, width, height, "yuyv", data);
    }

    public static Frame Jpeg(int width, int height, SKColor color, long sequence = 0) =>
        new(sequence, TimeSpan.FromMilliseconds(sequence * 33), DateTimeOffset.UnixEpoch, width, height, "jpeg", EncodeJpeg(width, height, color));

    public static byte[] EncodeJpeg(int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
