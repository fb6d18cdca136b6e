namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// <c>novelty(signal)</c>: cosine distance of the newest embedding from a running reference of the
/// recent ones (0 until a reference exists, so start-up is not a burst of "novel" moments). Each
/// new sample is measured once, then joins the reference.
/// </summary>
internal sealed class NoveltyState(int referenceSize) : ITemporalState
{
    private readonly EmbeddingReference _reference = new(referenceSize);
    private double _lastTime = double.NaN;
    private double _value;

    public double Update(EvalFrame frame, int slot)
    {
        var time = frame.Times[slot];
        if (time == _lastTime)
        {
            return _value;
        }

        _lastTime = time;
        if (frame.Refs[slot] is not float[] embedding || embedding.Length == 0)
        {
            _value = 0;
            return _value;
        }

        _value = _reference.NearestDistance(embedding);
        _reference.Add(embedding);
        return _value;
    }

    public void Reset()
    {
        _reference.Clear();
        _lastTime = double.NaN;
        _value = 0;
    }
}
