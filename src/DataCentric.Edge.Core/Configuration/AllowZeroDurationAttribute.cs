namespace DataCentric.Edge.Core.Configuration;

/// <summary>
/// A duration option for which zero is meaningful (e.g. "no delay"). Every other duration must be
/// positive: a zero one would stall or spin a stage (<see cref="ConfigurationValidator"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class AllowZeroDurationAttribute : Attribute;
