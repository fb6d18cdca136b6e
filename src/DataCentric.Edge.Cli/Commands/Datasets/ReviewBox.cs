namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>A box in pixels from the image's top-left with its class name (a person's label, or a model's with its score).</summary>
internal readonly record struct ReviewBox(string Class, double X, double Y, double Width, double Height)
{
    public double IoU(ReviewBox other)
    {
        var left = Math.Max(X, other.X);
        var top = Math.Max(Y, other.Y);
        var right = Math.Min(X + Width, other.X + other.Width);
        var bottom = Math.Min(Y + Height, other.Y + other.Height);
        if (right <= left || bottom <= top)
        {
            return 0;
        }

        var intersection = (right - left) * (bottom - top);
        var union = (Width * Height) + (other.Width * other.Height) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
