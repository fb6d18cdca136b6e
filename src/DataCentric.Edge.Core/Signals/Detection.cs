namespace DataCentric.Edge.Core.Signals;

/// <summary>One detected object: class, confidence and a box in normalised image coordinates (0..1).</summary>
public readonly record struct Detection(int ClassId, float Score, float X, float Y, float Width, float Height)
{
    /// <summary>Intersection over union of two boxes; 0 when they do not overlap.</summary>
    public static float IntersectionOverUnion(in Detection a, in Detection b)
    {
        var left = MathF.Max(a.X, b.X);
        var top = MathF.Max(a.Y, b.Y);
        var right = MathF.Min(a.X + a.Width, b.X + b.Width);
        var bottom = MathF.Min(a.Y + a.Height, b.Y + b.Height);
        if (right <= left || bottom <= top)
        {
            return 0f;
        }

        var intersection = (right - left) * (bottom - top);
        var union = (a.Width * a.Height) + (b.Width * b.Height) - intersection;
        return union <= 0f ? 0f : intersection / union;
    }
}
