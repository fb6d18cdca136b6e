namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Builds each endpoint as a plain <see cref="RequestDelegate"/> (no reflection-built binding: dce-fleet
/// is trimmed): authorize, run the handler, answer a request the API cannot read with 400.
/// </summary>
internal static class ApiEndpoint
{
    /// <param name="role">The role the endpoint needs; null for an endpoint that checks access itself or needs none.</param>
    public static RequestDelegate For<THandler>(ApiRole? role, Func<THandler, HttpContext, Task<IResult>> handle)
        where THandler : notnull => async context =>
    {
        var access = context.RequestServices.GetRequiredService<ApiAccess>();
        var result = role is { } needed ? access.Authorize(context, needed) : null;
        result ??= await RunAsync(context, handle).ConfigureAwait(false);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    };

    private static async Task<IResult> RunAsync<THandler>(HttpContext context, Func<THandler, HttpContext, Task<IResult>> handle)
        where THandler : notnull
    {
        try
        {
            return await handle(context.RequestServices.GetRequiredService<THandler>(), context).ConfigureAwait(false);
        }
        catch (ApiInputException e)
        {
            return BadRequest(context, e.Message);
        }
        catch (ArgumentException e) when (!context.Response.HasStarted)
        {
            // The catalog's own checks (limit, cursor, window): the parameter is named by the exception.
            var message = e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", string.Empty, StringComparison.Ordinal) : e.Message;
            return BadRequest(context, e.ParamName is { } name ? $"query parameter '{ApiQuery.ParameterOf(name)}': {message}" : message);
        }
    }

    private static IResult BadRequest(HttpContext context, string detail)
    {
        FleetApiLog.BadRequest(context.RequestServices.GetRequiredService<ILogger<ApiAccess>>(), context.Request.Method, context.Request.Path, detail);
        return ApiProblems.BadRequest(detail);
    }
}
