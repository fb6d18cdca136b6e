using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// Uploaded model releases and what became of them, in memory; each pending one owns a file in this process's
/// upload folder. At most one pending proposal per fleet and model name; a decided or expired proposal's file is
/// deleted at once (a published one's after its chunks are on the broker). Old decided entries go first past 200.
/// </summary>
internal sealed class ModelProposals : IDisposable
{
    /// <summary>How an uploaded model file is named in <see cref="Folder"/>: <c>{proposal id}.upload.onnx</c>.</summary>
    public const string FileSuffix = ".upload.onnx";

    private const int Capacity = 200;
    private readonly Lock _gate = new();
    private readonly List<Held> _proposals = [];
    private readonly TimeProvider _time;
    private readonly UploadFolderClaim _folder;

    public ModelProposals(IOptions<ConsoleModelOptions> options, TimeProvider time)
    {
        _time = time;

        // Proposals do not survive a restart, so neither do their files; another live process's files are not ours.
        _folder = new UploadFolderClaim(options.Value.UploadFolder, FileSuffix);
    }

    /// <summary>The proposal, its envelope's exact bytes and the uploaded file's path (null once removed).</summary>
    internal sealed record Held(ModelProposal Proposal, byte[] Envelope, string? ModelFile);

    /// <summary>This process's own subfolder of <c>ConsoleModels:UploadDirectory</c> (<see cref="UploadFolderClaim"/>).</summary>
    public string Folder => _folder.Path;

    /// <summary>Newest first; expires what waited too long first.</summary>
    public IReadOnlyList<ModelProposal> List()
    {
        lock (_gate)
        {
            Expire();
            return [.. _proposals.Select(p => p.Proposal).Reverse()];
        }
    }

    public Held? Find(string id)
    {
        lock (_gate)
        {
            Expire();
            return _proposals.FirstOrDefault(p => p.Proposal.Id == id);
        }
    }

    /// <returns>The pending proposal of the same fleet and model that blocks this one, or null when added.</returns>
    public ModelProposal? TryAdd(Held held)
    {
        lock (_gate)
        {
            Expire();
            var blocking = _proposals.FirstOrDefault(p => p.Proposal.State == ModelProposalStates.Pending
                && p.Proposal.Fleet == held.Proposal.Fleet && p.Proposal.Name == held.Proposal.Name);
            if (blocking is not null)
            {
                return blocking.Proposal;
            }

            if (_proposals.Count >= Capacity && _proposals.FindIndex(p => p.Proposal.State != ModelProposalStates.Pending) is var oldest and >= 0)
            {
                _proposals.RemoveAt(oldest);
            }

            _proposals.Add(held);
            return null;
        }
    }

    /// <summary>Moves a pending proposal on; false when it is no longer pending (someone decided first, or it expired).</summary>
    public bool TryDecide(string id, Func<ModelProposal, ModelProposal> decide, bool removeFile)
    {
        lock (_gate)
        {
            Expire();
            var index = _proposals.FindIndex(p => p.Proposal.Id == id);
            if (index < 0 || _proposals[index].Proposal.State != ModelProposalStates.Pending)
            {
                return false;
            }

            _proposals[index] = _proposals[index] with { Proposal = decide(_proposals[index].Proposal) };
            if (removeFile)
            {
                _proposals[index] = RemoveFile(_proposals[index]);
            }

            return true;
        }
    }

    /// <summary>Records publishing's outcome and removes the file (a failed push is uploaded again).</summary>
    public void Finish(string id, Func<ModelProposal, ModelProposal> update)
    {
        lock (_gate)
        {
            var index = _proposals.FindIndex(p => p.Proposal.Id == id);
            if (index >= 0)
            {
                _proposals[index] = RemoveFile(_proposals[index] with { Proposal = update(_proposals[index].Proposal) });
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            for (var i = 0; i < _proposals.Count; i++)
            {
                _proposals[i] = RemoveFile(_proposals[i]);
            }

            _folder.Dispose();
        }
    }

    private void Expire()
    {
        var now = _time.GetUtcNow();
        for (var i = 0; i < _proposals.Count; i++)
        {
            if (_proposals[i].Proposal is { State: ModelProposalStates.Pending } p && p.ExpiresAt <= now)
            {
                _proposals[i] = RemoveFile(_proposals[i] with { Proposal = p with { State = ModelProposalStates.Expired, DecidedAt = p.ExpiresAt, Detail = "no second operator approved it in time" } });
            }
        }
    }

    private static Held RemoveFile(Held held)
    {
        if (held.ModelFile is { } file)
        {
            File.Delete(file);
        }

        return held with { ModelFile = null };
    }
}

/// <summary>A model proposal's life: pending → publishing → published (or failed, with why), rejected, or expired.</summary>
internal static class ModelProposalStates
{
    public const string Pending = "pending";
    public const string Publishing = "publishing";
    public const string Published = "published";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
}
