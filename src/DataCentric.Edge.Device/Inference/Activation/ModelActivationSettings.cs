namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// How a model release is put into service on this device: where released files and their state
/// live, the probation it must pass, the memory it may use and how a crash loop is recognised.
/// The agent builds it from the <c>ModelReleases</c> section (Uplink's ModelReleaseOptions).
/// </summary>
/// <param name="StateDirectory">Absolute; released files go under <c>active/&lt;model name&gt;/</c> here.</param>
/// <param name="ProbationFrames">Real frames the candidate runs on before the swap.</param>
/// <param name="ProbationTimeout">How long probation waits for those frames.</param>
/// <param name="LatencyTolerance">Probation fails when the p95 latency exceeds the release's budget times this.</param>
/// <param name="MemoryLimitBytes">The configured limit; the unit's cgroup limit applies as well, the lower wins. Null: only the cgroup's.</param>
/// <param name="LoadCostFactor">A new session's resident cost estimated as this times the file's size, checked before loading.</param>
/// <param name="HealthyAfter">How long the agent must stay up after a swap before the release counts as surviving.</param>
/// <param name="CrashLoopStarts">Starts with the release that may die before it survives; the next start restores the previous model.</param>
public sealed record ModelActivationSettings(
    string StateDirectory,
    int ProbationFrames,
    TimeSpan ProbationTimeout,
    double LatencyTolerance,
    long? MemoryLimitBytes,
    double LoadCostFactor,
    TimeSpan HealthyAfter,
    int CrashLoopStarts);
