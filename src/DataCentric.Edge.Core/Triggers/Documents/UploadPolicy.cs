namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>When a trigger's clips may leave the device.</summary>
public enum UploadPolicy
{
    /// <summary>As soon as any network is up.</summary>
    Immediate,

    /// <summary>Only on an unmetered network (Wi-Fi or wired).</summary>
    WifiOnly,

    /// <summary>Kept on the device until an engineer asks for it.</summary>
    OnRequest,
}
