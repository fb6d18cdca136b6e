namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>One CAN frame as read: id without flag bits, and how many data bytes arrived.</summary>
public readonly record struct CanFrameHeader(uint Id, bool Extended, bool Remote, bool Error, int Length);

/// <summary>Reads CAN frames, blocking; read only by construction (no send method).</summary>
public interface ICanFrameReader : IDisposable
{
    /// <summary>Reads the next frame into <paramref name="data"/> (8 bytes); false at the end of a finite stream.</summary>
    bool TryRead(Span<byte> data, out CanFrameHeader header);
}
