namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// <c>rose(cond)</c> / <c>fell(cond)</c>: true on the tick the condition changes. The first tick
/// after start or reset only learns the level, so a condition already true is not an edge.
/// </summary>
internal sealed class EdgeState : ITemporalState
{
    private bool _known;
    private bool _previous;

    public bool Rose(bool condition)
    {
        var result = _known && condition && !_previous;
        Remember(condition);
        return result;
    }

    public bool Fell(bool condition)
    {
        var result = _known && !condition && _previous;
        Remember(condition);
        return result;
    }

    public void Reset() => _known = false;

    private void Remember(bool condition)
    {
        _previous = condition;
        _known = true;
    }
}
