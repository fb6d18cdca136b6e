using DataCentric.Edge.Core.Configuration;
using SkiaSharp;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Frame → model input, per <see cref="ImageInputOptions"/>: decode, resize (stretch or letterbox),
/// channel order, normalisation, NCHW/NHWC, float32 or uint8. Writes into the one input buffer the
/// engine owns; every intermediate bitmap is kept, so a steady stream of same-sized frames
/// allocates nothing but the codec's handles.
/// </summary>
internal sealed class ImagePreprocessor : IDisposable
{
    private readonly ImageInputOptions _options;
    private readonly FrameDecoder _decoder;
    private readonly SKBitmap _input;
    private readonly BilinearResizer _resizer = new();
    private readonly float[] _multiply = new float[3];
    private readonly float[] _add = new float[3];
    private readonly int[] _sourceChannel = new int[3];
    private SKSizeI _letterboxFor;

    public ImagePreprocessor(ImageInputOptions options, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Width = width;
        Height = height;
        _decoder = new FrameDecoder(width, height);
        _input = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var c = 0; c < 3; c++)
        {
            // value = (pixel × scale − mean) / std, folded into one multiply-add per element.
            var std = options.Std.Count == 3 ? options.Std[c] : 1f;
            var mean = options.Mean.Count == 3 ? options.Mean[c] : 0f;
            _multiply[c] = options.Scale / std;
            _add[c] = -mean / std;
            _sourceChannel[c] = options.ChannelOrder == ChannelOrder.Rgb ? c : 2 - c;
        }

        ContentArea = new ContentArea(0, 0, width, height, width, height);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Where the image lies in the input after the last resize (the letterbox bars excluded), for mapping boxes back.</summary>
    public ContentArea ContentArea { get; private set; }

    public void Write(string format, int width, int height, ReadOnlyMemory<byte> data, Span<float> destination)
    {
        Resize(_decoder.Decode(format, width, height, data));
        var pixels = _input.GetPixelSpan();
        if (_options.Layout == TensorLayout.Nchw)
        {
            WriteNchw(pixels, destination);
        }
        else
        {
            WriteNhwc(pixels, destination);
        }
    }

    public void Write(string format, int width, int height, ReadOnlyMemory<byte> data, Span<byte> destination)
    {
        Resize(_decoder.Decode(format, width, height, data));
        var pixels = _input.GetPixelSpan();
        var plane = Width * Height;
        for (var i = 0; i < plane; i++)
        {
            var p = i * 4;
            for (var c = 0; c < 3; c++)
            {
                var value = pixels[p + _sourceChannel[c]];
                if (_options.Layout == TensorLayout.Nchw)
                {
                    destination[(c * plane) + i] = value;
                }
                else
                {
                    destination[(i * 3) + c] = value;
                }
            }
        }
    }

    private void Resize(SKPixmap source)
    {
        var area = _options.Resize == ImageResize.Stretch ? ContentArea : LetterboxArea(source.Width, source.Height);
        _resizer.Resize(
            PixelSpan(source), source.Width, source.Height, source.RowBytes,
            _input.GetPixelSpan(), _input.RowBytes, area.X, area.Y, area.Width, area.Height);
    }

    private static unsafe ReadOnlySpan<byte> PixelSpan(SKPixmap pixmap) =>
        new((void*)pixmap.GetPixels(), pixmap.RowBytes * pixmap.Height);

    /// <summary>The part of the input the image fills; recomputed (and the bars repainted) only when the source size changes.</summary>
    private ContentArea LetterboxArea(int sourceWidth, int sourceHeight)
    {
        var size = new SKSizeI(sourceWidth, sourceHeight);
        if (_letterboxFor == size)
        {
            return ContentArea;
        }

        var scale = Math.Min((double)Width / sourceWidth, (double)Height / sourceHeight);
        var w = Math.Clamp((int)Math.Round(sourceWidth * scale), 1, Width);
        var h = Math.Clamp((int)Math.Round(sourceHeight * scale), 1, Height);
        var fill = (byte)_options.LetterboxFill;
        _input.Erase(new SKColor(fill, fill, fill));
        _letterboxFor = size;
        ContentArea = new ContentArea((Width - w) / 2, (Height - h) / 2, w, h, Width, Height);
        return ContentArea;
    }

    private void WriteNchw(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        // One pass over the pixels writing all three planes; locals keep the loop free of field loads.
        var plane = Width * Height;
        var first = destination[..plane];
        var second = destination.Slice(plane, plane);
        var third = destination.Slice(2 * plane, plane);
        int s0 = _sourceChannel[0], s1 = _sourceChannel[1], s2 = _sourceChannel[2];
        float m0 = _multiply[0], m1 = _multiply[1], m2 = _multiply[2];
        float a0 = _add[0], a1 = _add[1], a2 = _add[2];
        for (var i = 0; i < plane; i++)
        {
            var pixel = pixels.Slice(i * 4, 4);
            first[i] = (pixel[s0] * m0) + a0;
            second[i] = (pixel[s1] * m1) + a1;
            third[i] = (pixel[s2] * m2) + a2;
        }
    }

    private void WriteNhwc(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        var plane = Width * Height;
        for (var i = 0; i < plane; i++)
        {
            var p = i * 4;
            var o = i * 3;
            for (var c = 0; c < 3; c++)
            {
                destination[o + c] = (pixels[p + _sourceChannel[c]] * _multiply[c]) + _add[c];
            }
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        _decoder.Dispose();
    }
}

/// <summary>The rectangle of the model input (in input pixels) that holds the image.</summary>
internal readonly record struct ContentArea(int X, int Y, int Width, int Height, int InputWidth, int InputHeight)
{
    /// <summary>Input pixel x → 0..1 across the original image.</summary>
    public float NormaliseX(float x) => (x - X) / Width;

    public float NormaliseY(float y) => (y - Y) / Height;
}
