namespace DataCentric.Edge.Core.Triggers.Language;

internal static class VectorMath
{
    /// <summary>
    /// Cosine distance in [0, 2]: 0 for the same direction. Two zero vectors are 0 apart, a zero
    /// vector is 1 from any other; NaN components give NaN, which no comparison accepts.
    /// </summary>
    public static double CosineDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var length = Math.Min(a.Length, b.Length);
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }

        if (normA == 0 || normB == 0)
        {
            return normA == normB ? 0 : 1;
        }

        return Math.Clamp(1 - (dot / Math.Sqrt(normA * normB)), 0, 2);
    }
}
