using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>The one owner of the active trigger set: the version rule, rollback, and what followers hear.</summary>
[Trait("Category", "Unit")]
public sealed class ActiveTriggerSetTests
{
    private readonly TriggerRig _rig = new();

    [Fact]
    public void Activate_ANewerSet_MakesItCurrent_AndTheActiveOneThePrevious()
    {
        var v1 = Set(1);
        var sets = new ActiveTriggerSet(v1);
        var v2 = Set(2);

        sets.Activate(v2);

        Assert.Equal((v2, v1, v1, 2), (sets.Current, sets.Previous, sets.Initial, sets.Version));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void Activate_AnOlderOrSameVersion_IsRejected_AndNothingChanges(int version)
    {
        var sets = new ActiveTriggerSet(Set(5));
        var before = sets.Current;
        var kept = false;

        var error = Assert.Throws<TriggerSetRejectedException>(() => sets.Activate(Set(version), keep: () => kept = true));

        Assert.Equal("version", Assert.Single(error.Errors).Field);
        Assert.False(kept);
        Assert.Same(before, sets.Current);
        Assert.Null(sets.Previous);
    }

    [Fact]
    public void Activate_WhenKeepingTheSetFails_ChangesNothing_AndTellsNoFollower()
    {
        var sets = new ActiveTriggerSet(Set(1));
        var heard = new List<TriggerSetChange>();
        using var following = sets.Subscribe(heard.Add);

        Assert.Throws<IOException>(() => sets.Activate(Set(2), keep: () => throw new IOException("disk full")));

        Assert.Equal(1, sets.Version);
        Assert.Equal([TriggerSetChangeKind.Current], heard.Select(c => c.Kind));
    }

    [Fact]
    public void Rollback_GoesBackToThePreviousSet_Once()
    {
        var sets = new ActiveTriggerSet(Set(1));
        sets.Activate(Set(2));
        sets.Activate(Set(3));

        Assert.True(sets.Rollback());
        Assert.Equal(2, sets.Version);
        Assert.False(sets.Rollback());
        Assert.Equal(2, sets.Version);

        // The version rule is against the set now active (the remote sets refuse the very envelope rolled back from themselves).
        Assert.Throws<TriggerSetRejectedException>(() => sets.Activate(Set(2)));
        sets.Activate(Set(3));
        Assert.Equal(3, sets.Version);
    }

    [Fact]
    public void AFollower_HearsTheActiveSetFirst_ThenEveryChangeInOrder_UntilItsSubscriptionEnds()
    {
        var sets = new ActiveTriggerSet(Set(1));
        var heard = new List<(TriggerSetChangeKind, int)>();
        var following = sets.Subscribe(c => heard.Add((c.Kind, c.Set.Version)));

        sets.Activate(Set(2));
        sets.Activate(Set(3));
        sets.Rollback();
        following.Dispose();
        sets.Activate(Set(4));

        Assert.Equal(
            [(TriggerSetChangeKind.Current, 1), (TriggerSetChangeKind.Activated, 2), (TriggerSetChangeKind.Activated, 3), (TriggerSetChangeKind.RolledBack, 2)],
            heard);
    }

    [Fact]
    public void AFollowerThatThrows_DoesNotKeepTheChangeFromTheOthers_AndItsErrorReachesTheCaller()
    {
        var sets = new ActiveTriggerSet(Set(1));
        using var failing = sets.Subscribe(c =>
        {
            if (c.Kind == TriggerSetChangeKind.RolledBack)
            {
                throw new IOException("disk full");
            }
        });
        var versions = new List<int>();
        using var following = sets.Subscribe(c => versions.Add(c.Set.Version));
        sets.Activate(Set(2));

        Assert.Throws<IOException>(() => sets.Rollback());

        Assert.Equal([1, 2, 1], versions);
        Assert.Equal(1, sets.Version);
    }

    [Fact]
    public void AnEngineOnTheSet_KeepsStateOnANewerSet_AndStartsAfreshOnARollback_WhileItsCountersCarryOn()
    {
        var sets = new ActiveTriggerSet(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake")));
        using var engine = new TriggerEngine(sets, _rig.Bus, _rig.Clock);
        TriggerRig.Run(engine, 0, 1, 0.5, t => _rig.Bool("primary.brake", t >= 0.5, t));
        Assert.Equal((1, 3), (TriggerRig.Counters(engine).Fires, TriggerRig.Counters(engine).Evaluations));

        sets.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", version: 2)));
        Assert.Equal((2, 1), (engine.ActiveSet.Version, TriggerRig.Counters(engine).Fires));

        // Nothing goes back in version: the set rolled back to runs as if it had just started (the
        // brake, still on, is a new rising edge). Counters are a record, not state: they never go back,
        // so the fleet can take rates from differences.
        Assert.True(sets.Rollback());
        Assert.Equal((1, 1, 3), (engine.ActiveSet.Version, TriggerRig.Counters(engine).Fires, TriggerRig.Counters(engine).Evaluations));
        var events = TriggerRig.Run(engine, 1.5, 1.5, 0.5, t => _rig.Bool("primary.brake", true, t));
        Assert.Single(events);
        Assert.Equal((2, 4), (TriggerRig.Counters(engine).Fires, TriggerRig.Counters(engine).Evaluations));
    }

    private static CompiledTriggerSet Set(int version) => TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", version: version));
}
