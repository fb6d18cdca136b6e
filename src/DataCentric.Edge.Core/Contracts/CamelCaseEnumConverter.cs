using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// Writes <typeparamref name="TEnum"/> as a camelCase string (<c>wifiOnly</c>) and reads it back.
/// One per enum, named where the options are made: the non-generic JsonStringEnumConverter makes
/// its per-enum converter at run time, which the Native AOT agent cannot.
/// </summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
