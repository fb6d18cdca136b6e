using SkiaSharp;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// Converts YUYV (YUV 4:2:2) camera frames to JPEG for the recorder. Reuses one bitmap; rows are
/// converted on at most <c>threads</c> threads. Not thread-safe: one encoder per camera.
/// </summary>
public sealed class YuyvJpegEncoder : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly int _quality;
    private readonly ParallelOptions _parallel;
    private readonly byte[] _rgba;

    public YuyvJpegEncoder(int width, int height, int quality, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        _quality = quality;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _rgba = new byte[width * height * 4];
    }

    public int FrameBytes => _bitmap.Width * _bitmap.Height * 2;

    /// <exception cref="FrameSourceException">The frame has the wrong size for the configured resolution.</exception>
    public byte[] Encode(byte[] yuyv, int length)
    {
        ArgumentNullException.ThrowIfNull(yuyv);
        if (length != FrameBytes)
        {
            throw new FrameSourceException("garbage", $"YUYV frame of {length} bytes, {_bitmap.Width}x{_bitmap.Height} needs {FrameBytes}");
        }

        var width = _bitmap.Width;
        Parallel.For(0, _bitmap.Height, _parallel, row => ConvertRow(yuyv.AsSpan(row * width * 2, width * 2), _rgba.AsSpan(row * width * 4, width * 4)));
        System.Runtime.InteropServices.Marshal.Copy(_rgba, 0, _bitmap.GetPixels(), _rgba.Length);
        using var data = _bitmap.Encode(SKEncodedImageFormat.Jpeg, _quality);
        return data.ToArray();
    }

    private static void ConvertRow(ReadOnlySpan<byte> source, Span<byte> rgba)
    {
        for (var x = 0; x + 1 < rgba.Length / 4; x += 2)
        {
            var at = x * 2;
            int y0 = source[at], u = source[at + 1] - 128, y1 = source[at + 2], v = source[at + 3] - 128;
            Put(rgba[(x * 4)..], y0, u, v);
            Put(rgba[((x + 1) * 4)..], y1, u, v);
        }
    }

    private static void Put(Span<byte> pixel, int y, int u, int v)
    {
        // BT.601 full-range, integer arithmetic.
        pixel[0] = Clamp(y + ((359 * v) >> 8));
        pixel[1] = Clamp(y - (((88 * u) + (183 * v)) >> 8));
        pixel[2] = Clamp(y + ((454 * u) >> 8));
        pixel[3] = 255;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    public void Dispose() => _bitmap.Dispose();
}
