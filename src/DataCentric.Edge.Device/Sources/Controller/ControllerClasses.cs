namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The class names a controller may report, in the shadow detector's class-id order
/// (<see cref="ControllerFeedOptions.Classes"/>), so a controller's class and the shadow model's
/// class id mean the same thing when <c>class_mismatch</c> compares them.
/// </summary>
public sealed class ControllerClasses
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly string[] _names;

    public ControllerClasses(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names];
        for (var i = 0; i < _names.Length; i++)
        {
            _ids.TryAdd(_names[i], i);
        }
    }

    public int Count => _names.Length;

    /// <summary>The configured name of an id: a label signal reuses this string instead of the message's.</summary>
    public string NameOf(int id) => _names[id];

    public bool TryGetId(string name, out int id) => _ids.TryGetValue(name, out id);

    /// <summary>For error messages: the names, shortened when there are many.</summary>
    public string Describe() =>
        _names.Length == 0 ? "none are configured (Sources:Controller:Classes)"
        : _names.Length <= 12 ? string.Join(", ", _names)
        : $"{string.Join(", ", _names.Take(12))}, … ({_names.Length} in all)";
}
