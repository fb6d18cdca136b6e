using System.Buffers.Text;
using System.Text;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// The keyset of the last device of a page (fleet, device), as an opaque URL-safe string that both
/// implementations write and read. '\u001f' cannot occur in an id (CatalogGuard), so it separates them.
/// </summary>
internal readonly record struct DevicePageCursor(string Fleet, string Device)
{
    private const char Separator = '\u001f';

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Fleet}{Separator}{Device}"));

    public static DevicePageCursor? Decode(string? cursor, string name)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var split = text.IndexOf(Separator, StringComparison.Ordinal);
            if (split > 0 && split < text.Length - 1 && text.IndexOf(Separator, split + 1) < 0)
            {
                return new DevicePageCursor(text[..split], text[(split + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Falls through to the one error below.
        }

        throw new ArgumentException($"'{cursor}' is not a device page cursor of this catalog (pass the Next of the page before).", name);
    }
}
