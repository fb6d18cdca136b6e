using System.Runtime.InteropServices;
using SkiaSharp;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Turns an encoded frame (JPEG/PNG, packed YUYV 4:2:2, packed RGB) into RGBA pixels in a bitmap
/// kept from frame to frame. A JPEG is decoded straight at the smallest DCT scale (1/2, 1/4, 1/8)
/// that is still at least the model's input size, which saves most of the decode.
/// </summary>
internal sealed class FrameDecoder : IDisposable
{
    private readonly int _minWidth;
    private readonly int _minHeight;
    private SKBitmap? _bitmap;
    private SKPixmap? _pixmap;

    /// <param name="minWidth">The model input width: a JPEG is never decoded smaller than this.</param>
    public FrameDecoder(int minWidth, int minHeight)
    {
        _minWidth = minWidth;
        _minHeight = minHeight;
    }

    /// <summary>Decodes the frame; the pixmap stays valid until the next call.</summary>
    /// <exception cref="InvalidDataException">Unknown format, undecodable bytes, or a size that does not match the frame's header.</exception>
    public SKPixmap Decode(string format, int width, int height, ReadOnlyMemory<byte> data)
    {
        if (width <= 0 || height <= 0)
        {
            throw new InvalidDataException($"Frame size {width}×{height} is not valid.");
        }

        return format.ToUpperInvariant() switch
        {
            "JPEG" or "JPG" or "PNG" => DecodeCompressed(width, height, data),
            "YUYV" or "YUY2" => DecodeYuyv(width, height, data.Span),
            "RGB" or "RGB8" or "RGB24" => DecodeRgb(width, height, data.Span),
            _ => throw new InvalidDataException($"Frame format '{format}' is not supported (jpeg, png, yuyv, rgb)."),
        };
    }

    private unsafe SKPixmap DecodeCompressed(int width, int height, ReadOnlyMemory<byte> data)
    {
        using var pin = data.Pin();
        using var skData = SKData.Create((IntPtr)pin.Pointer, data.Length);
        using var codec = SKCodec.Create(skData)
            ?? throw new InvalidDataException($"Not a decodable image ({data.Length} bytes).");
        var info = codec.Info;
        if (info.Width != width || info.Height != height)
        {
            throw new InvalidDataException($"Image is {info.Width}×{info.Height}, but the frame says {width}×{height}.");
        }

        var size = ScaledSize(codec, width, height);
        var pixmap = Target(size.Width, size.Height);
        var result = codec.GetPixels(pixmap.Info, pixmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new InvalidDataException($"Image ({data.Length} bytes) could not be decoded: {result}.");
        }

        if (result == SKCodecResult.IncompleteInput)
        {
            throw new InvalidDataException($"Image ({data.Length} bytes) is truncated.");
        }

        return pixmap;
    }

    private SKSizeI ScaledSize(SKCodec codec, int width, int height)
    {
        // Try 1/8, 1/4, 1/2: the first that still covers the input avoids decoding pixels the resize throws away.
        for (var denominator = 8; denominator >= 2; denominator /= 2)
        {
            var size = codec.GetScaledDimensions(1f / denominator);
            if (size.Width >= _minWidth && size.Height >= _minHeight && size.Width < width)
            {
                return size;
            }
        }

        return new SKSizeI(width, height);
    }

    private SKPixmap DecodeYuyv(int width, int height, ReadOnlySpan<byte> yuyv)
    {
        if (width % 2 != 0 || yuyv.Length != width * height * 2)
        {
            throw new InvalidDataException($"YUYV frame of {width}×{height} needs {width * height * 2} bytes (even width), got {yuyv.Length}.");
        }

        var pixmap = Target(width, height);
        var rgba = PixelSpan(pixmap);
        for (int i = 0, o = 0; i < yuyv.Length; i += 4, o += 8)
        {
            var u = yuyv[i + 1] - 128;
            var v = yuyv[i + 3] - 128;
            WriteYuv(rgba[o..], yuyv[i], u, v);
            WriteYuv(rgba[(o + 4)..], yuyv[i + 2], u, v);
        }

        return pixmap;
    }

    private static void WriteYuv(Span<byte> rgba, int y, int u, int v)
    {
        // BT.601 limited range in 16.16 fixed point.
        var c = (y - 16) * 76309;
        rgba[0] = Clamp((c + (104597 * v) + 32768) >> 16);
        rgba[1] = Clamp((c - (25675 * u) - (53279 * v) + 32768) >> 16);
        rgba[2] = Clamp((c + (132201 * u) + 32768) >> 16);
        rgba[3] = 255;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private SKPixmap DecodeRgb(int width, int height, ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length != width * height * 3)
        {
            throw new InvalidDataException($"RGB frame of {width}×{height} needs {width * height * 3} bytes, got {rgb.Length}.");
        }

        var pixmap = Target(width, height);
        var rgba = PixelSpan(pixmap);
        for (int i = 0, o = 0; i < rgb.Length; i += 3, o += 4)
        {
            rgba[o] = rgb[i];
            rgba[o + 1] = rgb[i + 1];
            rgba[o + 2] = rgb[i + 2];
            rgba[o + 3] = 255;
        }

        return pixmap;
    }

    /// <summary>The reused bitmap, reallocated only when the decoded size changes.</summary>
    private SKPixmap Target(int width, int height)
    {
        if (_bitmap is null || _bitmap.Width != width || _bitmap.Height != height)
        {
            _pixmap?.Dispose();
            _bitmap?.Dispose();
            _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            _pixmap = _bitmap.PeekPixels();
        }

        return _pixmap!;
    }

    private static unsafe Span<byte> PixelSpan(SKPixmap pixmap) =>
        new((void*)pixmap.GetPixels(), pixmap.RowBytes * pixmap.Height);

    public void Dispose()
    {
        _pixmap?.Dispose();
        _bitmap?.Dispose();
    }
}
