using System.Globalization;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>Durations as people write them: <c>200ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m</c>, <c>1h</c>.</summary>
public static class DurationText
{
    public const string Expected = "a duration such as 200ms, 2s, 1m or 1h";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var unitStart = span.Length;
        while (unitStart > 0 && char.IsAsciiLetter(span[unitStart - 1]))
        {
            unitStart--;
        }

        if (unitStart == 0 || unitStart == span.Length ||
            !double.TryParse(span[..unitStart], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ||
            !TryUnitSeconds(span[unitStart..], out var unitSeconds))
        {
            return false;
        }

        var seconds = amount * unitSeconds;
        if (!double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Seconds per unit for <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>.</summary>
    public static bool TryUnitSeconds(ReadOnlySpan<char> unit, out double seconds)
    {
        seconds = unit switch
        {
            "ms" => 0.001,
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => 0,
        };
        return seconds > 0;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
}
