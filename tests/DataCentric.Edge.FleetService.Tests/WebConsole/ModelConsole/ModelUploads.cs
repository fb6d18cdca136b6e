using System.Net.Http.Headers;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>What the Models page sends to push a release: the real ONNX file as the body and the envelope <c>edgectl models sign</c> writes in the header.</summary>
internal static class ModelUploads
{
    public const string ProposalsPath = "/api/console/models/proposals";

    public static string ModelFile { get; } = RepositoryFiles.Path("firmware-config", "models", "obstacle-detector.onnx");

    public static ModelIo Io { get; } = new([new ModelTensor("image", "float", [1, 3, 64, 64])], [new ModelTensor("scores", "float", [1, 2])]);

    public static ModelReleasePayload Release(byte[] model, string fleet = "acme", int version = 1, string name = "det") =>
        new(FleetTopics.Root, fleet, new TriggerSetTarget(TargetScope.Fleet, null), name, version, Convert.ToHexStringLower(SHA256.HashData(model)), model.Length, Io, DateTimeOffset.UtcNow)
        {
            LatencyBudgetMs = 40,
        };

    public static HttpRequestMessage Request(byte[] envelope, byte[] body, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, ProposalsPath) { Content = content };
        request.Headers.Add("X-Model-Release", Convert.ToBase64String(envelope));
        return request;
    }

    /// <summary>The model files waiting under <c>ConsoleModels:UploadDirectory</c>: each service process keeps its own in a subfolder.</summary>
    public static string[] UploadedFiles(string uploadDirectory) =>
        Directory.GetFiles(uploadDirectory, "*" + FleetService.WebConsole.ModelConsole.ModelProposals.FileSuffix, SearchOption.AllDirectories);

    public static HttpRequestMessage Signed(ECDsa key, byte[] model, ModelReleasePayload? release = null) =>
        Request(ModelReleaseSigner.Sign(release ?? Release(model), key), model);
}
