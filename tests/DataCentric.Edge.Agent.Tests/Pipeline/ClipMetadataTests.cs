using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Tests.Pipeline;

/// <summary>The clip's <c>model.*</c> metadata (and so the manifest's <c>modelSha256</c>) has room for one model, as the contract has always had it.</summary>
[Trait("Category", "Unit")]
public sealed class ClipMetadataTests
{
    private static readonly ModelInfo Detector = new("detector", new string('a', 64), "dce-modelgen", "1");
    private static readonly ModelInfo Embedder = new("embedder", "unavailable", "unavailable", "unavailable");

    [Fact]
    public void OneModel_IsWrittenAsItIs()
    {
        var metadata = new ClipMetadata(Options.Create(new AgentOptions()), new Engine(Detector));

        Assert.Equal("detector", metadata.Values["model.name"]);
        Assert.Equal(new string('a', 64), metadata.Values[ClipFileStore.ModelShaKey]);
        Assert.Equal("dce-modelgen", metadata.Values["model.producer"]);
        Assert.Equal("1", metadata.Values["model.version"]);
        Assert.Equal(new string('a', 64), metadata.ModelSha256);
    }

    [Fact]
    public void SeveralModels_AreJoinedWithCommas_InConfigurationOrder()
    {
        var metadata = new ClipMetadata(Options.Create(new AgentOptions()), new Engine(Detector, Embedder));

        Assert.Equal("detector,embedder", metadata.Values["model.name"]);
        Assert.Equal($"{new string('a', 64)},unavailable", metadata.Values[ClipFileStore.ModelShaKey]);
        Assert.Equal("dce-modelgen,unavailable", metadata.Values["model.producer"]);
        Assert.Equal("1,unavailable", metadata.Values["model.version"]);
        Assert.Equal(metadata.Values[ClipFileStore.ModelShaKey], metadata.ModelSha256);
    }

    /// <summary>Only the models matter here.</summary>
    private sealed class Engine(params ModelInfo[] models) : IInferenceEngine
    {
        public IReadOnlyList<ModelInfo> Models => models;

        public IReadOnlyList<(string Name, SignalKind Kind)> Outputs => [];

        public void Infer(Frame frame, Span<SignalValue> outputs) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
