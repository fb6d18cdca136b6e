using SkiaSharp;

namespace DataCentric.Edge.Bench.Sources;

/// <summary>Adds per-pixel noise to a JPEG so it compresses like a real camera image.</summary>
internal static class Texture
{
    public static byte[] AddNoise(byte[] jpeg, int seed)
    {
        using var bitmap = SKBitmap.Decode(jpeg);
        var random = new Random(seed);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                var n = random.Next(-12, 13);
                bitmap.SetPixel(x, y, new SKColor(Clamp(c.Red + n), Clamp(c.Green + n), Clamp(c.Blue + n)));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
