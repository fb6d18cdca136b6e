using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>Stateless conditions over fixed signal values: each case fires (true) or not (false) on the first tick.</summary>
[Trait("Category", "Unit")]
public sealed class ExpressionEvaluationTests
{
    [Theory]
    [InlineData("shadow.obstacle > 0.5", true)]
    [InlineData("shadow.obstacle >= 0.75 and shadow.obstacle <= 0.75", true)]
    [InlineData("shadow.obstacle == 0.75", true)]
    [InlineData("shadow.obstacle != 0.75", false)]
    [InlineData("1 + 2 * 3 == 7", true)]
    [InlineData("(1 + 2) * 3 == 9", true)]
    [InlineData("10 - 4 - 3 == 3", true)]
    [InlineData("12 / 3 / 2 == 2", true)]
    [InlineData("-vehicle.speed < -10", true)]
    [InlineData("- -vehicle.speed == 12", true)]
    [InlineData("abs(shadow.steering - primary.steering) > 0.2", true)]
    [InlineData("min(shadow.steering, primary.steering, 5) == -0.1", true)]
    [InlineData("max(shadow.steering, primary.steering) == 0.3", true)]
    [InlineData("clamp(vehicle.speed, 0, 10) == 10", true)]
    [InlineData("clamp(vehicle.speed, 10, 0) == 10", true)]
    [InlineData("primary.brake", false)]
    [InlineData("not primary.brake", true)]
    [InlineData("not not primary.brake", false)]
    [InlineData("primary.brake or shadow.obstacle > 0.5", true)]
    [InlineData("primary.brake and shadow.obstacle > 0.5", false)]
    [InlineData("not primary.brake and shadow.obstacle > 0.5 or false", true)]
    [InlineData("primary.brake == false", true)]
    [InlineData("primary.mode == \"auto\"", true)]
    [InlineData("primary.mode == 'manual'", false)]
    [InlineData("primary.mode != \"manual\"", true)]
    [InlineData("shadow.class == primary.class", false)]
    [InlineData("2s > 1500ms", true)]
    [InlineData("1m == 60s", true)]
    [InlineData("2 * 500ms == 1s", true)]
    [InlineData("1s / 250ms == 4", true)]
    [InlineData("vehicle.speed / 0 > 1000", true)]
    [InlineData("0 / 0 == 0 / 0", false)]
    [InlineData("0 / 0 != 0 / 0", true)]
    [InlineData("true # a comment\n and shadow.obstacle > 0", true)]
    public void Condition_OnFirstTick_FiresWhenTrue(string when, bool fires)
    {
        var rig = new TriggerRig();
        var engine = rig.Engine(when);
        rig.Number("shadow.obstacle", 0.75, 1);
        rig.Number("shadow.steering", 0.3, 1);
        rig.Number("primary.steering", -0.1, 1);
        rig.Number("vehicle.speed", 12, 1);
        rig.Bool("primary.brake", false, 1);
        rig.Text("primary.mode", "auto", 1);
        rig.Text("shadow.class", "pedestrian", 1);
        rig.Text("primary.class", "cyclist", 1);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(1)) is not null;

        Assert.Equal(fires, fired);
    }
}
