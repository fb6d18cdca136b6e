using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// The adapters' check passes every model: these tests are about the transfer (the adapters' check
/// itself runs against real configurations in the edgectl and device tests).
/// </summary>
internal sealed class AnyModelFits : IModelContractCheck
{
    public IReadOnlyList<string> Problems(string modelName, ModelIo io) => [];
}
