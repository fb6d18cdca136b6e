using DataCentric.Edge.Uplink.Upload;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Broker;

/// <summary>What a QoS 1 publish's PUBACK means to the sender.</summary>
public static class PublishResults
{
    /// <summary>Throws when the broker refused the message (an ACL, a size limit); "no matching subscribers" is accepted.</summary>
    /// <exception cref="UploadRejectedException">The broker's reason code and text, with the topic.</exception>
    public static void EnsureAccepted(MqttClientPublishResult result, string topic)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            throw new UploadRejectedException($"Broker refused a publish to {topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd(), result.ReasonCode);
        }
    }
}
