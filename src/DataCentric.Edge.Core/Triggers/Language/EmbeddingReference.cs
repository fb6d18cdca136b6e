namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// A bounded ring of recent embeddings (copied, so the bus's arrays are never kept), and the
/// distance of a new one from the nearest of them. Used by <c>novelty()</c> and <c>minNovelty</c>.
/// </summary>
internal sealed class EmbeddingReference(int capacity)
{
    private float[][] _items = [];
    private int _count;
    private int _next;

    public int Count => _count;

    /// <summary>Distance to the nearest remembered embedding; 0 when nothing is remembered yet.</summary>
    public double NearestDistance(ReadOnlySpan<float> embedding)
    {
        if (_count == 0 || _items[0].Length != embedding.Length)
        {
            return _count == 0 ? 0 : 1;
        }

        var best = double.PositiveInfinity;
        for (var i = 0; i < _count; i++)
        {
            var distance = VectorMath.CosineDistance(_items[i], embedding);
            if (double.IsNaN(distance))
            {
                return double.NaN;
            }

            best = Math.Min(best, distance);
        }

        return best;
    }

    public void Add(ReadOnlySpan<float> embedding)
    {
        if (_items.Length == 0 || _items[0].Length != embedding.Length)
        {
            // First embedding or the model changed its dimension: start a new reference (bounded).
            _items = new float[capacity][];
            for (var i = 0; i < capacity; i++)
            {
                _items[i] = new float[embedding.Length];
            }

            _count = 0;
            _next = 0;
        }

        embedding.CopyTo(_items[_next]);
        _next = (_next + 1) % capacity;
        _count = Math.Min(_count + 1, capacity);
    }

    public void Clear()
    {
        _count = 0;
        _next = 0;
    }
}
