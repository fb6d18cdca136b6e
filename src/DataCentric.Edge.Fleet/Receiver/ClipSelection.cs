namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>What a receiver with a <see cref="ClipReceiver.Selection"/> does with one clip's messages.</summary>
public enum ClipSelection
{
    /// <summary>Store and acknowledge it.</summary>
    Take,

    /// <summary>Leave it alone: not stored, not acknowledged.</summary>
    Ignore,

    /// <summary>Not known yet (e.g. before a pull's reply names its clips): hold its messages until released.</summary>
    Undecided,
}
