using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;
using MQTTnet;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl models push RELEASE MODEL</c>: the file's retained chunks first, then the retained
/// release on its target's topic (from the signed payload), so a device that sees the release finds
/// every chunk; devices offline now get both when they return.
/// </summary>
internal static class ModelsPushCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var envelopeFile = new Argument<FileInfo>("release") { Description = "Signed release (from edgectl models sign)" };
        var modelFile = new Argument<FileInfo>("model") { Description = "The ONNX file the release was signed for" };
        var push = new Command("push", "Publish a model's chunks and its signed release (retained) for the release's target; follow with 'models status'");
        broker.AddTo(push);
        push.Arguments.Add(envelopeFile);
        push.Arguments.Add(modelFile);
        push.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var envelope = parse.GetValue(envelopeFile)!;
            if (!envelope.Exists)
            {
                throw new UsageException($"{envelope.FullName}: no such file");
            }

            var bytes = await File.ReadAllBytesAsync(envelope.FullName, cancellationToken).ConfigureAwait(false);
            var release = ModelReleaseFile.Read(envelope, bytes);
            var model = parse.GetValue(modelFile)!;
            await ModelReleaseFile.CheckModelAsync(envelope, release, model, cancellationToken).ConfigureAwait(false);
            string topic;
            try
            {
                topic = ModelTopics.ReleaseOf(release);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{envelope.FullName}: 'target' or 'name' is not usable in a topic: {e.Message}", e);
            }

            var (options, endpoint) = broker.Resolve(parse);
            using var client = new MqttClientFactory().CreateMqttClient();
            var connect = MqttClientOptionsFactory.Create(options, endpoint, $"edgectl-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}")
                .WithCleanStart().Build().WithSocketBuffer(options);
            var connected = await MqttConnect.WithDeadlineAsync(client, connect, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker at {endpoint} refused the connection: {connected.ResultCode} {connected.ReasonString}");
            }

            var chunks = await ModelChunkPublisher.PublishAsync(
                client, release.Fleet, release.Sha256, model.FullName, sent => error.Write($"\rchunks: {sent * 100 / Math.Max(1, release.SizeBytes)}% of {release.SizeBytes} bytes "),
                cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync().ConfigureAwait(false);
            var published = await client.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(bytes).WithRetainFlag().WithContentType("application/json")
                    .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken).ConfigureAwait(false);
            PublishResults.EnsureAccepted(published, topic);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"pushed model '{release.Name}' version {release.Version}: {chunks} chunk(s), {release.SizeBytes} bytes, on {ModelTopics.ChunkPrefix(release.Fleet, release.Sha256)}0..{chunks - 1}; release on {topic}")).ConfigureAwait(false);
            return 0;
        }));
        return push;
    }
}
