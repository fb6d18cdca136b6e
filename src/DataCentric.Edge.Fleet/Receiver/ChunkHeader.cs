using System.Buffers.Text;
using DataCentric.Edge.Core.Contracts;
using MQTTnet;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>A chunk's place in its clip, from its user properties (CONTRACT.md §Clips 2), so it can be placed before the manifest.</summary>
public readonly record struct ChunkHeader(int Index, int Count, int ChunkBytes)
{
    /// <exception cref="InvalidDataException">A property is missing or not a non-negative decimal integer; the message names it.</exception>
    public static ChunkHeader Read(MqttApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ChunkHeader(
            Property(message, ChunkProperties.Index),
            Property(message, ChunkProperties.Count),
            Property(message, ChunkProperties.ChunkBytes));
    }

    private static int Property(MqttApplicationMessage message, string name)
    {
        var property = message.UserProperties?.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidDataException($"chunk has no '{name}' user property");
        if (!Utf8Parser.TryParse(property.ValueBuffer.Span, out int value, out var consumed) || consumed != property.ValueBuffer.Length || value < 0)
        {
            throw new InvalidDataException($"chunk property '{name}' is not a non-negative integer");
        }

        return value;
    }
}
