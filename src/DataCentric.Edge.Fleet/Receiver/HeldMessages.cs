using System.Buffers;
using MQTTnet;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>
/// Messages of clips not yet decided, in arrival order, bounded by <see cref="MaxBytes"/>: beyond it
/// the oldest goes (its topic is returned, so the loss is reported). A pull's reply normally comes
/// within a few chunks, so the bound is seldom reached. Not thread-safe: its receiver locks it.
/// </summary>
internal sealed class HeldMessages
{
    public const long MaxBytes = 32L * 1024 * 1024;

    private readonly Queue<MqttApplicationMessage> _messages = new();
    private long _bytes;

    /// <returns>The topic of a message dropped to make room, or null.</returns>
    public string? Add(MqttApplicationMessage message)
    {
        // The client reuses its buffers once the handler returns: keep a copy.
        var builder = new MqttApplicationMessageBuilder().WithTopic(message.Topic).WithPayload(message.Payload.ToArray())
            .WithQualityOfServiceLevel(message.QualityOfServiceLevel);
        foreach (var property in message.UserProperties ?? [])
        {
            builder.WithUserProperty(property.Name, (ReadOnlyMemory<byte>)property.ValueBuffer.ToArray());
        }

        var copy = builder.Build();
        _messages.Enqueue(copy);
        _bytes += copy.Payload.Length;
        if (_bytes <= MaxBytes)
        {
            return null;
        }

        var dropped = _messages.Dequeue();
        _bytes -= dropped.Payload.Length;
        return dropped.Topic;
    }

    public int Count => _messages.Count;

    public IReadOnlyList<MqttApplicationMessage> TakeAll()
    {
        var all = _messages.ToList();
        _messages.Clear();
        _bytes = 0;
        return all;
    }
}
