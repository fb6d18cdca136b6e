using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Uplink.Tests.Connection;

/// <summary>Keeps what the code under test logged, with the time since creation, for a failing test's message.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join(Environment.NewLine, _lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{Stopwatch.GetElapsedTime(_start).TotalMilliseconds,8:F0} ms {logLevel} {formatter(state, exception)}");
}
