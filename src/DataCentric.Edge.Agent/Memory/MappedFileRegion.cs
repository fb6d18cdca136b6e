namespace DataCentric.Edge.Agent.Memory;

/// <summary>One mapping of a file in /proc/self/smaps, with what decides whether its pages may be dropped.</summary>
internal readonly record struct MappedFileRegion(ulong Start, ulong End, string Permissions, string Path, long RssKb, long AnonymousKb)
{
    /// <summary>
    /// Only the file's own pages, never written: a mapping without write permission and without
    /// a copied (anonymous) page reads back the same bytes from the file after its pages are dropped.
    /// </summary>
    public bool IsCleanFileCode(string directory) =>
        Path.StartsWith(directory, StringComparison.Ordinal)
        && !Path.EndsWith(" (deleted)", StringComparison.Ordinal)
        && Permissions.Length >= 2 && Permissions[1] != 'w'
        && AnonymousKb == 0
        && RssKb > 0;
}
