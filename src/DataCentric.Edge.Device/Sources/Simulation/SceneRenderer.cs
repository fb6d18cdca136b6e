using SkiaSharp;

namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>
/// Draws a <see cref="SceneState"/> as a road seen from the driver's seat and encodes it as JPEG.
/// Reuses one bitmap and canvas; not thread-safe (one renderer per camera).
/// </summary>
public sealed class SceneRenderer : IDisposable
{
    private static readonly SKColor Sky = new(135, 190, 235);
    private static readonly SKColor Grass = new(70, 130, 60);
    private static readonly SKColor Asphalt = new(92, 92, 96);
    private static readonly SKColor Marking = new(235, 235, 235);
    private static readonly SKColor CarBody = new(205, 30, 35);
    private static readonly SKColor CarGlass = new(40, 44, 56);
    private static readonly SKColor Tyre = new(20, 20, 20);

    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPath _path = new();
    private readonly int _jpegQuality;

    public SceneRenderer(int width, int height, int jpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 32);
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        _canvas = new SKCanvas(_bitmap);
        _jpegQuality = jpegQuality;
    }

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    /// <summary>Renders the state and returns the JPEG bytes.</summary>
    public byte[] RenderJpeg(in SceneState state)
    {
        Draw(state);
        using var data = _bitmap.Encode(SKEncodedImageFormat.Jpeg, _jpegQuality);
        return data.ToArray();
    }

    private void Draw(in SceneState state)
    {
        float w = Width, h = Height, horizon = h * SceneGeometry.HorizonShare;
        _canvas.Clear(Sky);
        Fill(Grass, 0, horizon, w, h);

        // Road: a trapezoid narrowing to the vanishing point.
        Polygon(Asphalt, (w * 0.46f, horizon), (w * 0.54f, horizon), (w * 0.97f, h), (w * 0.03f, h));
        Polygon(Marking, (w * 0.455f, horizon), (w * 0.462f, horizon), (w * 0.07f, h), (w * 0.03f, h));
        Polygon(Marking, (w * 0.538f, horizon), (w * 0.545f, horizon), (w * 0.97f, h), (w * 0.93f, h));

        // Centre dashes scroll towards the viewer; spacing shrinks with distance.
        for (var i = 0; i < 6; i++)
        {
            var near = (float)Math.Pow((i + state.RoadOffset) / 6.0, 2);
            var far = (float)Math.Pow((i + 0.45 + state.RoadOffset) / 6.0, 2);
            float top = horizon + ((h - horizon) * near), bottom = horizon + ((h - horizon) * far);
            float halfTop = w * 0.002f * (1 + (near * 6)), halfBottom = w * 0.002f * (1 + (far * 6));
            Polygon(Marking, ((w / 2) - halfTop, top), ((w / 2) + halfTop, top), ((w / 2) + halfBottom, bottom), ((w / 2) - halfBottom, bottom));
        }

        if (state.ObstaclePresent)
        {
            DrawCar(SceneGeometry.ScaleAt(state.DistanceMetres), horizon);
        }
    }

    private void DrawCar(float scale, float horizon)
    {
        float w = Width, h = Height;
        var bottom = horizon + ((h - horizon) * scale * SceneGeometry.CarGroundShare);
        var carWidth = w * SceneGeometry.CarWidthShare * scale;
        var carHeight = h * SceneGeometry.CarHeightShare * scale;
        float left = (w - carWidth) / 2, top = bottom - carHeight;
        Fill(Tyre, left + (carWidth * 0.05f), bottom - (carHeight * 0.15f), left + (carWidth * 0.25f), bottom + (carHeight * SceneGeometry.TyreDropShare));
        Fill(Tyre, left + (carWidth * 0.75f), bottom - (carHeight * 0.15f), left + (carWidth * 0.95f), bottom + (carHeight * SceneGeometry.TyreDropShare));
        Fill(CarBody, left, top + (carHeight * 0.3f), left + carWidth, bottom - (carHeight * 0.08f));
        Fill(CarBody, left + (carWidth * 0.15f), top, left + (carWidth * 0.85f), top + (carHeight * 0.32f));
        Fill(CarGlass, left + (carWidth * 0.2f), top + (carHeight * 0.05f), left + (carWidth * 0.8f), top + (carHeight * 0.28f));
    }

    private void Fill(SKColor color, float left, float top, float right, float bottom)
    {
        _paint.Color = color;
        _canvas.DrawRect(SKRect.Create(left, top, right - left, bottom - top), _paint);
    }

    private void Polygon(SKColor color, params ReadOnlySpan<(float X, float Y)> points)
    {
        _path.Reset();
        _path.MoveTo(points[0].X, points[0].Y);
        for (var i = 1; i < points.Length; i++)
        {
            _path.LineTo(points[i].X, points[i].Y);
        }

        _path.Close();
        _paint.Color = color;
        _canvas.DrawPath(_path, _paint);
    }

    public void Dispose()
    {
        _path.Dispose();
        _paint.Dispose();
        _canvas.Dispose();
        _bitmap.Dispose();
    }
}
