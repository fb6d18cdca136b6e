namespace DataCentric.Edge.FleetService.Api;

/// <summary>The HTTP API (<c>Api</c> section): who may call it, which web pages may read clips, and signed links.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Foxglove's web app: it fetches clips from the browser, so it needs CORS.</summary>
    public const string DefaultOrigin = "https://app.foxglove.dev";

    /// <summary>The port of the default listen address, http://127.0.0.1:8480 (set <c>urls</c> or <c>Kestrel:Endpoints</c> to change it).</summary>
    public const int DefaultPort = 8480;

    /// <summary>The bearer tokens the API accepts; none means every <c>/api</c> request is refused (only /healthz answers).</summary>
    public List<ApiTokenOptions> Tokens { get; set; } = [];

    /// <summary>Origins whose pages may read the API from a browser (CORS); <see cref="DefaultOrigin"/> when none is set.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a signed clip link works.</summary>
    public TimeSpan LinkValidFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A file of at least 32 bytes: the HMAC key of signed links, so links outlive a restart and work
    /// on every instance. Without it each process draws a random key and its links die with it.
    /// </summary>
    public string? LinkKeyFile { get; set; }

    /// <summary>The API's address as clients see it (behind a proxy), for signed links; the request's own host when unset.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The Foxglove page that opens a remote file: <c>{FoxgloveUrl}?ds=remote-file&amp;ds.url=...</c>.</summary>
    public string FoxgloveUrl { get; set; } = "https://app.foxglove.dev/view";

    /// <summary>The CORS origins in force: the configured ones, or <see cref="DefaultOrigin"/>.</summary>
    public IReadOnlyList<string> EffectiveOrigins() => AllowedOrigins.Count == 0 ? [DefaultOrigin] : AllowedOrigins;
}

/// <summary>One bearer token: its name (for logs), its role, and the token as a SHA-256 or a file.</summary>
public sealed class ApiTokenOptions
{
    public string? Name { get; set; }

    public ApiRole Role { get; set; } = ApiRole.Viewer;

    /// <summary>Hex SHA-256 of the token (the token itself never sits in configuration).</summary>
    public string? TokenSha256 { get; set; }

    /// <summary>A file holding the token (surrounding whitespace ignored), e.g. a systemd credential.</summary>
    public string? TokenFile { get; set; }

    public override string ToString() => $"{Name} ({Role})";
}

/// <summary>Viewers read; operators read and change state (pulls, pushes).</summary>
public enum ApiRole
{
    Viewer,
    Operator,
}
