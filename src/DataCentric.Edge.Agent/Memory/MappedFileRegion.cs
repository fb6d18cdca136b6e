namespace DataCentric.Edge.Agent.Memory;

/// <summary>One mapping of a file in /proc/self/smaps, with what decides whether its pages may be dropped.</summary>
/// <param name="Flags">The VmFlags line's two-letter flags; null where the kernel prints none.</param>
internal readonly record struct MappedFileRegion(
    ulong Start, ulong End, string Permissions, string Path, long RssKb, long AnonymousKb, long SwapKb, IReadOnlySet<string>? Flags)
{
    /// <summary>
    /// Only the file's own pages, never written: a mapping that has never been writable (no write
    /// permission, and no "ac", which a private mapping keeps once it was writable, as a library's
    /// relocated read-only part was) and holds no copied page, in memory or in swap, reads back the
    /// same bytes from the file after its pages are dropped.
    /// </summary>
    public bool IsCleanFileCode(string directory) =>
        Path.StartsWith(directory, StringComparison.Ordinal)
        && !Path.EndsWith(" (deleted)", StringComparison.Ordinal)
        && Permissions.Length >= 2 && Permissions[1] != 'w'
        && Flags is not null && !Flags.Contains("ac")
        && AnonymousKb == 0
        && SwapKb == 0
        && RssKb > 0;
}
