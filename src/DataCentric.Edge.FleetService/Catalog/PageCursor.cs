using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// The keyset of the last row of a page (its time and id), as an opaque URL-safe string; both
/// implementations write and read the same form, so a cursor outlives a switch of store.
/// </summary>
internal readonly record struct PageCursor(DateTimeOffset Time, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Time.UtcTicks}|{Id}")));

    public static PageCursor? Decode(string? cursor, string name)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                ticks <= DateTimeOffset.MaxValue.UtcTicks && bar < text.Length - 1)
            {
                return new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(bar + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Falls through to the one error below.
        }

        throw new ArgumentException($"'{cursor}' is not a page cursor of this catalog (pass the Next of the page before).", name);
    }
}
