using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// A wall-clock time on the command line: ISO-8601 with an offset or Z is taken as written; without
/// one it is this machine's local time (its time zone, TZ), and a local time that the clocks skip or
/// repeat (daylight saving) is refused rather than guessed.
/// </summary>
internal static partial class WallClockArgument
{
    public const string Rule = "ISO-8601 with an offset or Z (2026-12-05T14:30:00Z, 2026-12-05T15:30:00+01:00), or without one for this machine's local time";

    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    private static readonly string[] OffsetFormats = [.. LocalFormats.Select(f => f + "zzz")];

    /// <summary>An option whose value is parsed by <see cref="Parse"/>; a bad value is a usage error naming the option.</summary>
    public static Option<DateTimeOffset?> Option(string name, string description) => new(name)
    {
        Description = $"{description}: {Rule}",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            var (value, error) = Parse(text, TimeZoneInfo.Local);
            if (error is not null)
            {
                result.AddError($"{name} '{text}' {error}");
            }

            return value;
        },
    };

    /// <returns>The time, or the reason it is not one (to follow the argument's name and value).</returns>
    public static (DateTimeOffset? Value, string? Error) Parse(string text, TimeZoneInfo localZone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(localZone);
        var trimmed = text.Trim();
        var offset = TrailingOffset().Match(trimmed);
        if (offset.Success)
        {
            // Z and +hhmm become +hh:mm, the one form zzz reads.
            var zone = offset.Value is "Z" or "z" ? "+00:00" : offset.Value.Length == 5 ? offset.Value.Insert(3, ":") : offset.Value;
            var withOffset = trimmed[..^offset.Value.Length] + zone;
            return DateTimeOffset.TryParseExact(withOffset, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact)
                ? (exact, null)
                : (null, $"is not a time: use {Rule}");
        }

        if (!DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (null, $"is not a time: use {Rule}");
        }

        if (localZone.IsInvalidTime(local))
        {
            return (null, $"does not exist in this machine's time zone ({localZone.Id}): the clocks skip it; give an offset");
        }

        if (localZone.IsAmbiguousTime(local))
        {
            return (null, $"happens twice in this machine's time zone ({localZone.Id}): the clocks go back; give an offset");
        }

        return (new DateTimeOffset(local, localZone.GetUtcOffset(local)), null);
    }

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex TrailingOffset();
}
