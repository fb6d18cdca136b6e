using System.Reflection;
using System.Text.RegularExpressions;

namespace DataCentric.Edge.Device.Tests.Sources.Sensors;

/// <summary>
/// The write and actuation surface of System.Device.Gpio and Iot.Device.Bindings, found by
/// reflection, and the documentation-comment ids BannedSymbols.txt uses to name it.
/// </summary>
internal static partial class PassiveSurface
{
    /// <summary>Binding namespaces reviewed as read-only towards hardware; every other binding namespace must be banned whole.</summary>
    public static readonly IReadOnlySet<string> ReviewedBindingNamespaces = new HashSet<string>(StringComparer.Ordinal)
    {
        "Iot.Device.Media", "Iot.Device.Camera", "Iot.Device.Camera.Settings", "Iot.Device.Common",
        "Iot.Device.Imu", "Iot.Device.Bno055", "Iot.Device.SocketCan",
    };

    /// <summary>
    /// Camera capture and process plumbing: they start and stop an image sensor's stream and set
    /// its capture options, which moves nothing in the world, so their Start/Set members are not writes.
    /// </summary>
    private static readonly IReadOnlySet<string> CaptureNamespaces = new HashSet<string>(StringComparer.Ordinal)
    {
        "Iot.Device.Media", "Iot.Device.Camera", "Iot.Device.Camera.Settings", "Iot.Device.Common", "System.Device",
    };

    public static Assembly Gpio => typeof(System.Device.Gpio.GpioController).Assembly;

    public static Assembly Bindings => typeof(Iot.Device.Media.VideoDevice).Assembly;

    /// <summary>
    /// Binding types outside the reviewed namespaces: each must be banned by its namespace, or by
    /// type when it has none or shares a <c>System.*</c> namespace with System.Device.Gpio (banning
    /// <c>N:System.Device.I2c</c> would ban <c>I2cDevice</c> itself).
    /// </summary>
    public static bool BannedByType(Type type) => type?.Namespace is null || type.Namespace.StartsWith("System.", StringComparison.Ordinal);

    /// <summary>Binding types outside the reviewed namespaces.</summary>
    public static IEnumerable<Type> UnreviewedBindingTypes() =>
        Bindings.GetExportedTypes().Where(t => t.Namespace is null || !ReviewedBindingNamespaces.Contains(t.Namespace));

    /// <summary>Members that write to a bus, a pin or an actuator in the assemblies and namespaces the agent may use.</summary>
    public static IEnumerable<MemberInfo> WriteMembers()
    {
        var types = Gpio.GetExportedTypes()
            .Concat(Bindings.GetExportedTypes().Where(t => t.Namespace is not null && ReviewedBindingNamespaces.Contains(t.Namespace)))
            .Where(t => t.Namespace is null || !CaptureNamespaces.Contains(t.Namespace));
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(Declared).Where(m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly))
            {
                if (IsWrite(method))
                {
                    yield return method;
                }
            }
        }
    }

    public static bool IsWrite(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);

        // A property setter writes to hardware only on a type that holds a device; on plain
        // settings and value types (SpiConnectionSettings, CanId) it sets a field.
        if (method.IsSpecialName && method.Name.StartsWith("set_", StringComparison.Ordinal))
        {
            return typeof(IDisposable).IsAssignableFrom(method.DeclaringType);
        }

        return WriteName().IsMatch(method.Name)
            || (method.Name == "OpenPin" && method.GetParameters().Any(p => p.ParameterType == typeof(System.Device.Gpio.PinMode)));
    }

    /// <summary>The documentation-comment id of a member, as BannedSymbols.txt spells it.</summary>
    public static string DocId(MemberInfo member) => member switch
    {
        Type type => $"T:{TypeName(type)}",
        MethodInfo { IsSpecialName: true } accessor when accessor.DeclaringType!.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .FirstOrDefault(p => p.GetSetMethod(true) == accessor || p.GetGetMethod(true) == accessor) is { } property
            => $"P:{TypeName(property.DeclaringType!)}.{property.Name}",
        MethodBase method => $"M:{TypeName(method.DeclaringType!)}.{(method.IsConstructor ? "#ctor" : method.Name)}{GenericArity(method)}{Parameters(method)}",
        _ => throw new ArgumentException($"Unsupported member {member}", nameof(member)),
    };

    private static string GenericArity(MethodBase method) => method.IsGenericMethod ? $"``{method.GetGenericArguments().Length}" : string.Empty;

    private static string Parameters(MethodBase method)
    {
        var parameters = method.GetParameters();
        return parameters.Length == 0 ? string.Empty : $"({string.Join(",", parameters.Select(p => ParameterType(p.ParameterType)))})";
    }

    private static string ParameterType(Type type)
    {
        if (type.IsByRef)
        {
            return ParameterType(type.GetElementType()!) + "@";
        }

        if (type.IsArray)
        {
            return ParameterType(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericMethodParameter)
        {
            return $"``{type.GenericParameterPosition}";
        }

        if (type.IsGenericTypeParameter)
        {
            return $"`{type.GenericParameterPosition}";
        }

        if (type.IsGenericType)
        {
            var definition = TypeName(type.GetGenericTypeDefinition());
            return $"{definition[..definition.LastIndexOf('`')]}{{{string.Join(",", type.GetGenericArguments().Select(ParameterType))}}}";
        }

        return TypeName(type);
    }

    private static string TypeName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    [GeneratedRegex("^(Write|Toggle|Transfer|Send|Set|Calibrate|Reset|RunSelfTest|Start|Stop|Clear)")]
    private static partial Regex WriteName();
}
