namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>One wording for corrupt-file errors: what was wrong and at which byte offset.</summary>
internal static class McapErrors
{
    public static InvalidDataException At(long offset, string what) =>
        new($"Invalid MCAP file at byte offset {offset}: {what}.");

    public static InvalidDataException At(ulong offset, string what) => At(unchecked((long)offset), what);
}
