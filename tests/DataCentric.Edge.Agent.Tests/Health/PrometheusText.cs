using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DataCentric.Edge.Agent.Tests.Health;

/// <summary>Scrapes a metrics endpoint and reads samples out of the Prometheus text format.</summary>
internal static class PrometheusText
{
    public static async Task<string> ScrapeAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The value of the sample whose name and labels are exactly <paramref name="series"/>; null when absent.</summary>
    public static double? Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds, with a bounded deadline; returns the last text.</summary>
    public static async Task<string> ScrapeUntilAsync(int port, Func<string, bool> ready, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            string? text = null;
            try
            {
                text = await ScrapeAsync(port, cancellationToken);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                // Not listening yet.
            }

            if (text is not null && (ready(text) || DateTime.UtcNow >= until))
            {
                return text;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
