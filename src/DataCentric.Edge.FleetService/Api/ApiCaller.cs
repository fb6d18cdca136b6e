namespace DataCentric.Edge.FleetService.Api;

/// <summary>Who called: the name and role of the token the request carried (kept in HttpContext.Items).</summary>
internal sealed record ApiCaller(string Name, ApiRole Role)
{
    private static readonly object Key = new();

    public static ApiCaller? Of(HttpContext context) => context.Items.TryGetValue(Key, out var caller) ? caller as ApiCaller : null;

    public void AttachTo(HttpContext context) => context.Items[Key] = this;
}
