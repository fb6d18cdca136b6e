using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>POSTs to the fleet API (operator actions): the same failures as GETs, plus 409 and 503 with the server's reason.</summary>
internal sealed partial class FleetApiClient
{
    /// <summary>POST <paramref name="path"/> with a JSON <paramref name="body"/> (none when null); the answer read as <typeparamref name="T"/>.</summary>
    public async Task<T> PostAsync<T>(string path, IEnumerable<(string Name, string? Value)> query, string? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var parameters = string.Join('&', query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}"));
        var uri = new Uri(BaseAddress, parameters.Length == 0 ? path : $"{path}?{parameters}");
        HttpResponseMessage response;
        try
        {
            using var content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
            response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new FleetApiException($"cannot reach the fleet API at {BaseAddress}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FleetApiException($"the fleet API at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FleetApiException(response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable
                    ? $"the fleet API refused ({(int)response.StatusCode}): {Detail(text)}"
                    : Refusal(response.StatusCode, Detail(text)));
            }

            try
            {
                return JsonSerializer.Deserialize(text, type) ?? throw new FleetApiException($"the fleet API at {BaseAddress} answered null for {path}");
            }
            catch (JsonException e)
            {
                throw new FleetApiException($"the fleet API at {BaseAddress} answered something edgectl cannot read ({e.Message}); is --api a dce-fleet?", e);
            }
        }
    }
}
