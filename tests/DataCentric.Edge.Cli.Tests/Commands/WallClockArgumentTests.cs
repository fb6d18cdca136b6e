using DataCentric.Edge.Cli.Commands;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary>The rule for --from/--to: an offset or Z is taken as written; no offset is this machine's local time, refused where DST makes it skip or repeat.</summary>
[Trait("Category", "Unit")]
public sealed class WallClockArgumentTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    [InlineData("2026-12-05T14:30:00Z", "2026-12-05T14:30:00+00:00")]
    [InlineData("2026-12-05T15:30:00+01:00", "2026-12-05T15:30:00+01:00")]
    [InlineData("2026-12-05T15:30:00+0100", "2026-12-05T15:30:00+01:00")]
    [InlineData("2026-12-05T14:30:00.250Z", "2026-12-05T14:30:00.2500000+00:00")]
    [InlineData("2026-12-05 14:30Z", "2026-12-05T14:30:00+00:00")]
    [InlineData("2026-12-05T15:30:00", "2026-12-05T15:30:00+01:00")]
    [InlineData("2026-07-05 15:30", "2026-07-05T15:30:00+02:00")]
    public void Parse_TakesOffsetsAsWritten_AndNoOffsetAsLocalTime(string text, string expected)
    {
        var (value, error) = WallClockArgument.Parse(text, Berlin);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, value!.Value.Offset);
    }

    [Theory]
    [InlineData("2026-03-29T02:30:00", "does not exist in this machine's time zone (Europe/Berlin)")]
    [InlineData("2026-10-25T02:30:00", "happens twice in this machine's time zone (Europe/Berlin)")]
    [InlineData("5 minutes ago", "is not a time")]
    [InlineData("2026-12-05T25:00:00Z", "is not a time")]
    [InlineData("", "is not a time")]
    public void Parse_RefusesWhatIsNotOneInstant(string text, string error)
    {
        var (value, reason) = WallClockArgument.Parse(text, Berlin);

        Assert.Null(value);
        Assert.Contains(error, reason, StringComparison.Ordinal);
    }
}
