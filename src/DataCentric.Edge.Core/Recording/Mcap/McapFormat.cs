namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>Fixed sizes and the magic of MCAP major version 0 (mcap.dev/spec).</summary>
internal static class McapFormat
{
    /// <summary>0x89 "MCAP" '0' CR LF, at both ends of every file.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'M', (byte)'C', (byte)'A', (byte)'P', (byte)'0', (byte)'\r', (byte)'\n'];

    public const int MagicLength = 8;

    /// <summary>Opcode byte plus the uint64 content length.</summary>
    public const int RecordPrefixLength = 1 + 8;

    /// <summary>summary_start, summary_offset_start, summary_crc.</summary>
    public const int FooterContentLength = 8 + 8 + 4;

    public const int FooterRecordLength = RecordPrefixLength + FooterContentLength;

    /// <summary>data_section_crc.</summary>
    public const int DataEndContentLength = 4;

    public const int DataEndRecordLength = RecordPrefixLength + DataEndContentLength;

    /// <summary>channel_id, sequence, log_time, publish_time before the payload.</summary>
    public const int MessageFixedLength = 2 + 4 + 8 + 8;

    /// <summary>Header with two empty strings: the least a valid file needs after its magic.</summary>
    public const int MinimumFileLength = MagicLength + RecordPrefixLength + 4 + 4 + DataEndRecordLength + FooterRecordLength + MagicLength;
}
