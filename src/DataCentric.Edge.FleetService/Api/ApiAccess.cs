using Microsoft.Net.Http.Headers;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Bearer-token access: 401 without a token or with one that is not ours, 403 when the token's role
/// is below what the endpoint needs. Tokens only, no cookies, so no anti-forgery is needed.
/// </summary>
internal sealed class ApiAccess(ApiTokens tokens, ILogger<ApiAccess> logger)
{
    private const string Scheme = "Bearer ";

    /// <summary>Null when the request may go on (its <see cref="ApiCaller"/> attached); otherwise the answer.</summary>
    public IResult? Authorize(HttpContext context, ApiRole needed)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return Refuse(context, header.Length == 0 ? "no Authorization header" : "the Authorization header is not 'Bearer <token>'");
        }

        if (tokens.Find(header.AsSpan(Scheme.Length).Trim()) is not { } found)
        {
            return Refuse(context, "the bearer token is not one of this service's tokens");
        }

        var caller = new ApiCaller(found.Name, found.Role);
        if (caller.Role < needed)
        {
            FleetApiLog.Forbidden(logger, context.Request.Method, context.Request.Path, caller.Name, caller.Role, needed);
            return ApiProblems.Forbidden(
                $"token '{caller.Name}' has role {Name(caller.Role)}; {context.Request.Method} {context.Request.Path} needs {Name(needed)}");
        }

        caller.AttachTo(context);
        return null;
    }

    public static string Name(ApiRole role) => role == ApiRole.Operator ? "operator" : "viewer";

    private IResult Refuse(HttpContext context, string reason)
    {
        FleetApiLog.Unauthenticated(logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString(), reason);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return ApiProblems.Unauthorized($"{reason}: send 'Authorization: Bearer <token>' with a token of Api:Tokens");
    }
}
