namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary><c>held(cond, d)</c>: true once <c>cond</c> has been true on every tick for at least <c>d</c>.</summary>
internal sealed class HeldState(double seconds) : ITemporalState
{
    private double _since = double.NaN;

    public bool Update(bool condition, double now)
    {
        if (!condition)
        {
            _since = double.NaN;
            return false;
        }

        if (double.IsNaN(_since))
        {
            _since = now;
        }

        return TimeMath.AtLeast(now - _since, seconds);
    }

    public void Reset() => _since = double.NaN;
}
