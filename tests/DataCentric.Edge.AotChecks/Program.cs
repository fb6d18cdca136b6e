using DataCentric.Edge.AotChecks;

// Runs every check, prints "ok NAME", "skipped NAME: why" or "FAIL NAME: what", and exits 1 if any failed.
(string Name, Func<Task<string?>> Run)[] checks =
[
    ("imu-mpu6050", SensorChecks.Mpu6050Async),
    ("imu-bno055", SensorChecks.Bno055Async),
    ("gpio-inputs", SensorChecks.GpioAsync),
    ("v4l2-not-a-camera", CameraCheck.NotACameraAsync),
    ("can-missing-interface", CanCheck.MissingInterfaceAsync),
    ("clip-catalog", CatalogCheck.RunAsync),
    ("trigger-examples", TriggerCheck.ExamplesAsync),
    ("config-errors", ConfigCheck.RunAsync),
];
var failed = 0;
var skipped = 0;
foreach (var (name, run) in checks)
{
    try
    {
        var why = await run();
        if (why is not null)
        {
            skipped++;
        }

        Console.WriteLine(why is null ? $"ok {name}" : $"skipped {name}: {why}");
    }
    catch (Exception e)
    {
        failed++;
        Console.WriteLine($"FAIL {name}: {e}");
    }
}

// A check that could not run is no pass: it is counted on its own.
Console.WriteLine($"{checks.Length - failed - skipped} of {checks.Length} checks passed, {skipped} skipped, {failed} failed");
return failed == 0 ? 0 : 1;
