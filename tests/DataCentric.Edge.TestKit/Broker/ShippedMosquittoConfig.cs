namespace DataCentric.Edge.TestKit.Broker;

/// <summary>
/// The listener settings of firmware-config/broker/mosquitto.conf, so the test broker enforces what
/// ships (client-id binding, certificate identities) rather than a copy that could drift. File
/// locations and ports are the test's own: those lines are left out.
/// </summary>
public static class ShippedMosquittoConfig
{
    /// <summary>The shipped device listener's port.</summary>
    public const int DevicePort = 8883;

    /// <summary>The shipped fleet tools listener's port.</summary>
    public const int ToolsPort = 8884;

    private static readonly string[] LocalOnly = ["listener", "cafile", "capath", "certfile", "keyfile"];

    /// <summary>The setting lines of the shipped <c>listener <paramref name="port"/></c> section, paths excluded.</summary>
    /// <exception cref="InvalidOperationException">The shipped file has no such listener.</exception>
    public static IReadOnlyList<string> ListenerSettings(int port)
    {
        var lines = File.ReadAllLines(RepositoryFiles.Path("firmware-config", "broker", "mosquitto.conf"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var header = $"listener {port}";
        var start = lines.FindIndex(l => l == header || l.StartsWith(header + " ", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"firmware-config/broker/mosquitto.conf has no '{header}' section");
        }

        return [.. lines.Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("listener ", StringComparison.Ordinal) && IsListenerSetting(l))
            .Where(l => !LocalOnly.Contains(l.Split(' ')[0], StringComparer.Ordinal))];
    }

    /// <summary>A listener section ends where the global settings (persistence, limits) start.</summary>
    private static bool IsListenerSetting(string line) =>
        line.Split(' ')[0] is "cafile" or "capath" or "certfile" or "keyfile" or "tls_version" or "require_certificate"
            or "use_identity_as_username" or "use_subject_as_username" or "use_username_as_clientid" or "ciphers" or "crlfile";
}
