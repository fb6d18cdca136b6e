using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Triggers.Language;

internal enum WindowKind
{
    Mean,
    Min,
    Max,
    Delta,
}

/// <summary>
/// <c>mean|min|max|delta(signal, w)</c> over the samples of the last <c>w</c> seconds. A signal is
/// a step function: the value held at the start of the window (the newest sample at or before it)
/// counts too, so a window is never empty while the signal is fresh. The state keeps its own ring
/// of at most the history limit and reads only new samples from the bus each tick.
/// </summary>
internal sealed class WindowState : ITemporalState
{
    private const int FirstRead = 4;
    private readonly WindowKind _kind;
    private readonly double _seconds;
    private readonly double[] _values;
    private readonly double[] _times;
    private readonly SignalSample[] _scratch;
    private int _next;
    private int _count;
    private double _lastSeen = double.NegativeInfinity;

    public WindowState(WindowKind kind, double seconds, int capacity)
    {
        _kind = kind;
        _seconds = seconds;
        _values = new double[capacity];
        _times = new double[capacity];
        _scratch = new SignalSample[capacity];
    }

    public double Evaluate(EvalFrame frame, int slot)
    {
        Ingest(frame, slot);
        if (_count == 0)
        {
            return double.NaN;
        }

        var from = frame.Now - _seconds;
        var capacity = _values.Length;
        var newest = (_next - 1 + capacity) % capacity;

        // Walk back from the newest sample to the first one at or before the window start.
        var taken = 0;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity, oldest = double.NaN;
        for (var i = 0; i < _count; i++)
        {
            var index = (newest - i + capacity) % capacity;
            var value = _values[index];
            sum += value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            oldest = value;
            taken++;
            if (_times[index] <= from + TimeMath.Epsilon)
            {
                break;
            }
        }

        return _kind switch
        {
            WindowKind.Mean => sum / taken,
            WindowKind.Min => min,
            WindowKind.Max => max,
            _ => _values[newest] - oldest,
        };
    }

    public void Reset()
    {
        _count = 0;
        _next = 0;
        _lastSeen = double.NegativeInfinity;
    }

    private void Ingest(EvalFrame frame, int slot)
    {
        if (!(frame.Times[slot] > _lastSeen))
        {
            return;
        }

        // Copy a few of the newest samples; read more only when all of them are new.
        var want = Math.Min(FirstRead, _scratch.Length);
        int copied;
        while (true)
        {
            copied = frame.Bus.CopyHistory(frame.Ids[slot], _scratch.AsSpan(0, want));
            if (copied < want || want == _scratch.Length || _scratch[0].Time.TotalSeconds <= _lastSeen)
            {
                break;
            }

            want = Math.Min(want * 4, _scratch.Length);
        }

        for (var i = 0; i < copied; i++)
        {
            var time = _scratch[i].Time.TotalSeconds;
            if (time <= _lastSeen)
            {
                continue;
            }

            // Samples after the evaluation instant belong to a later tick (see TriggerEngine.EvaluationInstant).
            if (time > frame.Now)
            {
                break;
            }

            _values[_next] = _scratch[i].Value.Number;
            _times[_next] = time;
            _next = (_next + 1) % _values.Length;
            _count = Math.Min(_count + 1, _values.Length);
            _lastSeen = time;
        }
    }
}
