using MQTTnet;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>The broker refused a publish (e.g. 0x95 packet too large): retrying the same way will not help.</summary>
public sealed class UploadRejectedException : Exception
{
    public UploadRejectedException()
    {
    }

    public UploadRejectedException(string message)
        : base(message)
    {
    }

    public UploadRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UploadRejectedException(string message, MqttClientPublishReasonCode reasonCode)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The broker's reason, when it gave one.</summary>
    public MqttClientPublishReasonCode? ReasonCode { get; }
}
