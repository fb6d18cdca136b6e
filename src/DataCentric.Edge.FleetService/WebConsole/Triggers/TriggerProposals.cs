using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// Signed sets waiting for a second operator, and what became of them, in this process's memory: the
/// retained message on the broker is the devices' truth, so a restart loses only the waiting list and
/// the "previous version" each diff is drawn against. Bounded: past <see cref="ConsoleTriggerOptions.MaxProposals"/>
/// the oldest decided proposal goes first (a pending one is never dropped; a new one is refused instead).
/// </summary>
internal sealed class TriggerProposals(IOptions<ConsoleTriggerOptions> options)
{
    private readonly Lock _gate = new();
    private readonly List<Held> _proposals = [];
    private readonly int _capacity = options.Value.MaxProposals;

    /// <summary>The proposal with its envelope's exact bytes (what approval publishes).</summary>
    internal sealed record Held(TriggerProposal Proposal, byte[] Envelope, TriggerSetPayload Payload);

    /// <summary>Newest first.</summary>
    public IReadOnlyList<TriggerProposal> List()
    {
        lock (_gate)
        {
            return [.. _proposals.Select(p => p.Proposal).Reverse()];
        }
    }

    public Held? Find(string id)
    {
        lock (_gate)
        {
            return _proposals.FirstOrDefault(p => p.Proposal.Id == id);
        }
    }

    /// <summary>The last set published through the console on <paramref name="topic"/>, to diff a new one against.</summary>
    public TriggerProposal? LastPublishedOn(string topic)
    {
        lock (_gate)
        {
            return _proposals.LastOrDefault(p => p.Proposal.Topic == topic && p.Proposal.State == ProposalStates.Published)?.Proposal;
        }
    }

    /// <returns>False when every kept proposal is still pending (nothing decided to make room).</returns>
    public bool TryAdd(Held held)
    {
        lock (_gate)
        {
            if (_proposals.Count >= _capacity)
            {
                var oldest = _proposals.FindIndex(p => p.Proposal.State != ProposalStates.Pending);
                if (oldest < 0)
                {
                    return false;
                }

                _proposals.RemoveAt(oldest);
            }

            _proposals.Add(held);
            return true;
        }
    }

    /// <summary>Moves a pending proposal on; false when it is no longer pending (someone decided first).</summary>
    public bool TryDecide(string id, Func<TriggerProposal, TriggerProposal> decide)
    {
        lock (_gate)
        {
            var index = _proposals.FindIndex(p => p.Proposal.Id == id);
            if (index < 0 || _proposals[index].Proposal.State != ProposalStates.Pending)
            {
                return false;
            }

            _proposals[index] = _proposals[index] with { Proposal = decide(_proposals[index].Proposal) };
            return true;
        }
    }

    /// <summary>Sets the state of a proposal this caller moved on (publishing's outcome).</summary>
    public void Replace(string id, Func<TriggerProposal, TriggerProposal> update)
    {
        lock (_gate)
        {
            var index = _proposals.FindIndex(p => p.Proposal.Id == id);
            if (index >= 0)
            {
                _proposals[index] = _proposals[index] with { Proposal = update(_proposals[index].Proposal) };
            }
        }
    }
}

/// <summary>A proposal's life: pending → publishing → published (or failed, with why), or rejected.</summary>
internal static class ProposalStates
{
    public const string Pending = "pending";
    public const string Publishing = "publishing";
    public const string Published = "published";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
}
