using SkiaSharp;

namespace DataCentric.Edge.Device.Onnx;

/// <summary>
/// Decodes an encoded frame, scales it to the model's input size and writes it as planar RGB
/// (NCHW) floats into a buffer reused for every frame.
/// </summary>
internal sealed class RgbTensorWriter : IDisposable
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.None);
    private readonly SKBitmap _scaled;
    private readonly float _scale;

    public RgbTensorWriter(int width, int height, float scale)
    {
        _scaled = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        _scale = scale;
    }

    public int Width => _scaled.Width;

    public int Height => _scaled.Height;

    /// <exception cref="InvalidDataException">The bytes are not a decodable image.</exception>
    public void Write(ReadOnlySpan<byte> encoded, Span<float> destination)
    {
        using var decoded = SKBitmap.Decode(encoded)
            ?? throw new InvalidDataException($"Not a decodable image ({encoded.Length} bytes).");
        if (!decoded.ScalePixels(_scaled, Sampling))
        {
            throw new InvalidDataException($"Could not scale a {decoded.Width}×{decoded.Height} image to {Width}×{Height}.");
        }

        var pixels = _scaled.GetPixelSpan();
        var plane = Width * Height;
        for (var i = 0; i < plane; i++)
        {
            destination[i] = pixels[i * 4] * _scale;
            destination[plane + i] = pixels[(i * 4) + 1] * _scale;
            destination[(2 * plane) + i] = pixels[(i * 4) + 2] * _scale;
        }
    }

    public void Dispose() => _scaled.Dispose();
}
