using System.Globalization;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Reads a request's query string strictly: an unknown parameter, a repeated one or a value that does
/// not parse is an <see cref="ApiInputException"/> naming the parameter and what it expects.
/// An empty value (<c>?device=</c>) is the same as none.
/// </summary>
internal sealed class ApiQuery
{
    private readonly IQueryCollection _query;

    public ApiQuery(HttpRequest request, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(request);
        _query = request.Query;
        foreach (var key in _query.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new ApiInputException($"unknown query parameter '{key}' (this endpoint takes: {string.Join(", ", known)})");
            }
        }
    }

    public string? Text(string name)
    {
        if (!_query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new ApiInputException($"query parameter '{name}' is given {values.Count} times; give it once");
        }

        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    public string Required(string name) => Text(name) ?? throw new ApiInputException($"query parameter '{name}' is required");

    /// <summary>An ISO 8601 time, e.g. 2026-12-05T10:00:00Z; one without an offset is UTC.</summary>
    public DateTimeOffset? Time(string name) =>
        Text(name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new ApiInputException($"query parameter '{name}': '{text}' is not a time (ISO 8601, e.g. 2026-12-05T10:00:00Z)");

    /// <summary>A page size; its range is the catalog's (1-1000), checked there.</summary>
    public int Limit(string name = "limit") =>
        Text(name) is not { } text ? CatalogGuard.DefaultLimit
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) ? limit
        : throw new ApiInputException($"query parameter '{name}': '{text}' is not a whole number (1 to {CatalogGuard.MaxLimit})");

    public bool? Flag(string name) =>
        Text(name) is not { } text ? null
        : bool.TryParse(text, out var flag) ? flag
        : throw new ApiInputException($"query parameter '{name}': '{text}' is not true or false");

    /// <summary>A duration: a number with s, m, h or d (15m, 1h, 1d), or hh:mm:ss.</summary>
    public TimeSpan? Duration(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        var unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => (TimeSpan?)null,
        };
        if (unit is { } u && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 100_000)
        {
            return u * count;
        }

        return unit is null && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) ? span
            : throw new ApiInputException($"query parameter '{name}': '{text}' is not a duration (e.g. 15m, 1h, 1d or 01:00:00)");
    }

    public PullState? State(string name) => Text(name) switch
    {
        null => null,
        "requested" => PullState.Requested,
        "sent" => PullState.Sent,
        "completed" => PullState.Completed,
        "failed" => PullState.Failed,
        "cancelled" => PullState.Cancelled,
        var text => throw new ApiInputException($"query parameter '{name}': '{text}' is not a pull state (requested, sent, completed, failed, cancelled)"),
    };

    /// <summary>The query parameter a catalog query's property comes from (for the catalog's own errors).</summary>
    public static string ParameterOf(string property) => property switch
    {
        nameof(ClipQuery.TriggerId) => "trigger",
        nameof(ClipQuery.ModelSha256) => "model",
        _ => string.Concat(char.ToLowerInvariant(property[0]).ToString(), property[1..]),
    };
}
