using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// GETs from the fleet API with a bearer token, reading answers with the source-generated context
/// dce-fleet writes them with. Failures become one clear <see cref="FleetApiException"/>: unreachable,
/// 401/403 (naming the token file), or the server's own message for bad input.
/// </summary>
internal sealed partial class FleetApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _tokenFile;

    public FleetApiClient(Uri api, string token, string tokenFile)
    {
        _tokenFile = tokenFile;
        _http = new HttpClient { BaseAddress = new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>GET <paramref name="path"/> (relative, e.g. <c>api/clips</c>) with the query values that are set.</summary>
    public async Task<T> GetAsync<T>(string path, IEnumerable<(string Name, string? Value)> query, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var parameters = string.Join('&', query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}"));
        var uri = new Uri(BaseAddress, parameters.Length == 0 ? path : $"{path}?{parameters}");
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
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
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FleetApiException(Refusal(response.StatusCode, Detail(body)));
            }

            try
            {
                return JsonSerializer.Deserialize(body, type) ?? throw new FleetApiException($"the fleet API at {BaseAddress} answered null for {path}");
            }
            catch (JsonException e)
            {
                throw new FleetApiException($"the fleet API at {BaseAddress} answered something edgectl cannot read ({e.Message}); is --api a dce-fleet?", e);
            }
        }
    }

    /// <summary>POSTs a JSON body to <paramref name="path"/>; returns the answer's body.</summary>
    public async Task<string> PostJsonAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await SendAsync(() => _http.PostAsync(new Uri(BaseAddress, path), content, cancellationToken), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw new FleetApiException(Refusal(response.StatusCode, Detail(body)));
    }

    /// <summary>GETs <paramref name="path"/>'s bytes into <paramref name="file"/> (written beside it, then renamed).</summary>
    public async Task DownloadAsync(string path, string file, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => _http.GetAsync(new Uri(BaseAddress, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new FleetApiException(Refusal(response.StatusCode, Detail(body)));
        }

        var temp = file + ".part";
        await using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            await response.Content.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, file, overwrite: true);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new FleetApiException($"cannot reach the fleet API at {BaseAddress}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FleetApiException($"the fleet API at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private string Refusal(HttpStatusCode status, string? detail) => status switch
    {
        HttpStatusCode.Unauthorized => $"the fleet API at {BaseAddress} refused the token in {_tokenFile} (401): {detail ?? "unknown token"}",
        HttpStatusCode.Forbidden => $"the token in {_tokenFile} may not do this (403): {detail ?? "its role is too low"}",
        HttpStatusCode.BadRequest => $"the fleet API refused the request: {detail}",
        HttpStatusCode.NotFound => detail ?? "not found",
        _ => $"the fleet API at {BaseAddress} answered {(int)status} {status}: {detail}",
    };

    private static string? Detail(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, FleetApiJsonContext.Default.ApiProblem)?.Detail;
        }
        catch (JsonException)
        {
            return body.Length == 0 ? null : body[..Math.Min(body.Length, 200)];
        }
    }
}
