namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// Times are seconds in doubles; 1.2 − 1.0 is 0.19999999999999996. Comparisons of elapsed time
/// with a duration allow a microsecond (TimeSpan's resolution is 100 ns) so 200 ms held is 200 ms.
/// </summary>
internal static class TimeMath
{
    public const double Epsilon = 1e-6;

    public static bool AtLeast(double elapsed, double duration) => elapsed >= duration - Epsilon;
}
