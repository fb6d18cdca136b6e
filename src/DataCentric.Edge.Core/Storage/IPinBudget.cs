namespace DataCentric.Edge.Core.Storage;

/// <summary>
/// How many bytes of clips may be pinned: pinned clips still count against the clip quota but are
/// never evicted, so their share is capped to leave the rest of the quota for new clips.
/// </summary>
public interface IPinBudget
{
    /// <summary>The most bytes of stored clips that may be pinned at once.</summary>
    long MaxPinnedBytes { get; }

    /// <summary>Bytes of stored clips pinned now.</summary>
    long PinnedBytes();
}
