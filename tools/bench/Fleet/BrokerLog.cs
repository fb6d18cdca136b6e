using System.Text.RegularExpressions;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// Reads mosquitto's log (run.sh sets <c>log_type subscribe</c>) to see which client subscribed to
/// what: a subscriber is ready once its filters cover both a manifest and a chunk topic. Works the
/// same for mosquitto_sub and for dce-fleet, without knowing anything about the receiver's code.
/// </summary>
internal sealed partial class BrokerLog(string path)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly string[] ProbeTopics = ["dce/v1/bench/dev-0001/clips/probe/manifest", "dce/v1/bench/dev-0001/clips/probe/chunk"];

    /// <summary>Where the log ends now: subscriptions before this (an earlier run's) do not count.</summary>
    public long Mark() => new FileInfo(path).Length;

    /// <summary>Waits until every one of <paramref name="clientIds"/> subscribed, after <paramref name="since"/>, to filters covering manifests and chunks.</summary>
    /// <exception cref="TimeoutException">Names the clients that were not ready, with what they subscribed to.</exception>
    public async Task WaitForClipSubscribersAsync(long since, IReadOnlyCollection<string> clientIds, TimeSpan timeout, Func<string?> whyNot, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var filters = SubscriptionsSince(since);
            var waiting = clientIds.Where(id => !ProbeTopics.All(t => filters.TryGetValue(id, out var f) && f.Any(filter => TopicFilter.Matches(filter, t)))).ToList();
            if (waiting.Count == 0)
            {
                return;
            }

            if (whyNot() is { } reason)
            {
                throw new InvalidOperationException(reason);
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("; ", waiting.Select(id => $"{id}: {(filters.TryGetValue(id, out var f) ? string.Join(", ", f) : "no subscription")}"));
                throw new TimeoutException($"not subscribed to clip manifests and chunks within {timeout.TotalSeconds:0} s ({seen})");
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Client id → topic filters, from lines such as <c>1700000000: bench-receiver-1 1 $share/dce-fleet/dce/v1/+/+/clips/+/chunk</c>.</summary>
    private Dictionary<string, List<string>> SubscriptionsSince(long since)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = Math.Min(since, stream.Length);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (SubscribeLine().Match(line) is { Success: true } match)
            {
                var id = match.Groups["client"].Value;
                if (!result.TryGetValue(id, out var filters))
                {
                    result[id] = filters = [];
                }

                filters.Add(match.Groups["filter"].Value);
            }
        }

        return result;
    }

    [GeneratedRegex(@"^\d+: (?<client>\S+) [0-2] (?<filter>\S+)$")]
    private static partial Regex SubscribeLine();
}

/// <summary>MQTT topic filter matching (+ one level, # the rest), shared subscriptions' <c>$share/{group}/</c> stripped.</summary>
internal static class TopicFilter
{
    public static bool Matches(string filter, string topic)
    {
        if (filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            var groupEnd = filter.IndexOf('/', "$share/".Length);
            filter = groupEnd < 0 ? string.Empty : filter[(groupEnd + 1)..];
        }

        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }
}
