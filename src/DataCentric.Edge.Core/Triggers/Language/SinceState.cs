namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary><c>since(cond)</c>: seconds since the condition was last true; infinite when never seen true.</summary>
internal sealed class SinceState : ITemporalState
{
    private double _last = double.NaN;

    public double Update(bool condition, double now)
    {
        if (condition)
        {
            _last = now;
        }

        return double.IsNaN(_last) ? double.PositiveInfinity : now - _last;
    }

    public void Reset() => _last = double.NaN;
}
