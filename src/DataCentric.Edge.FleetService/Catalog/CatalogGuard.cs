using System.Globalization;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// The catalog's input rules, the same for every implementation: ids are 1–200 characters with no
/// control characters, hashes are SHA-256 hex, times are stored in UTC to the microsecond (what
/// PostgreSQL keeps), so a row reads back equal from either store.
/// </summary>
internal static class CatalogGuard
{
    public const int MaxIdLength = 200;
    public const int MaxKeyLength = 1024;
    public const int MaxTextLength = 4000;
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxCountRows = 10_000;

    public static string Id(string? value, string name, int maxLength = MaxIdLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{name} is {value.Length} characters long; at most {maxLength} are allowed.", name);
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"{name} '{value.ReplaceLineEndings(" ")}' contains a control character.", name);
        }

        return value;
    }

    /// <summary>Free text (a status detail, a pull's outcome): at most 4000 characters, no NUL (PostgreSQL's text refuses it).</summary>
    public static string? Text(string? value, string name)
    {
        if (value is not null && (value.Length > MaxTextLength || value.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{name} must be at most {MaxTextLength} characters with no NUL character.", name);
        }

        return value;
    }

    public static string? OptionalId(string? value, string name) => value is null ? null : Id(value, name);

    public static string[] Ids(IReadOnlyList<string>? values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var copy = new string[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Id(values[i], $"{name}[{i}]");
        }

        return copy;
    }

    /// <summary>64 hex digits, returned in lower case (the form the agent and the receiver write).</summary>
    public static string Sha256(string? value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length != 64 || !value.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"{name} '{value}' is not a SHA-256 (64 hex digits).", name);
        }

        return value.ToLowerInvariant();
    }

    /// <summary>The shadow models' hashes: one, or several joined with ',' (ModelInfo).</summary>
    public static string[] ModelShas(string? value, string name) =>
        value is null ? [] : [.. Id(value, name, MaxKeyLength).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>UTC, truncated to the microsecond.</summary>
    public static DateTimeOffset Time(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    public static DateTimeOffset? Time(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    public static int Limit(int limit, int max, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, max, name);
        return limit;
    }

    public static (DateTimeOffset? From, DateTimeOffset? To) Window(DateTimeOffset? from, DateTimeOffset? to)
    {
        var (f, t) = (Time(from), Time(to));
        if (f is { } start && t is { } end && end < start)
        {
            throw new ArgumentException($"The window ends ({end:O}) before it starts ({start:O}).", "To");
        }

        return (f, t);
    }

    public static PullState State(PullState state, string name) =>
        Enum.IsDefined(state) ? state : throw new ArgumentOutOfRangeException(name, state, "Not a pull state.");

    public static string Name(PullState state) => state switch
    {
        PullState.Requested => "requested",
        PullState.Sent => "sent",
        PullState.Completed => "completed",
        PullState.Failed => "failed",
        PullState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a pull state."),
    };

    public static PullState ParseState(string name) => name switch
    {
        "requested" => PullState.Requested,
        "sent" => PullState.Sent,
        "completed" => PullState.Completed,
        "failed" => PullState.Failed,
        "cancelled" => PullState.Cancelled,
        _ => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The catalog holds a pull in an unknown state '{name}'.")),
    };
}
