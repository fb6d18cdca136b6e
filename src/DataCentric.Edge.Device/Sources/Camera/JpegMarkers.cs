namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>The two markers that bound every JPEG image.</summary>
public static class JpegMarkers
{
    /// <summary>Start and end of image markers present: the cheapest check that a camera sent a picture, not garbage.</summary>
    public static bool LooksLikeJpeg(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[^2] == 0xFF && data[^1] == 0xD9;
}
