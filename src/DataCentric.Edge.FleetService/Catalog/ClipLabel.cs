namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// A clip's label: an object class its shadow model detected (<c>class-3</c> while the clip carries class
/// ids only, or a class name such as <c>car</c>). Letters, digits, '-', '_', '.' and space, 1–64 characters,
/// so a label is safe in a URL query, a LiteDB expression parameter and a PostgreSQL array alike.
/// </summary>
internal static class ClipLabel
{
    public const int MaxLength = 64;

    /// <summary>Most labels one clip keeps (a detector has at most a few hundred classes).</summary>
    public const int MaxPerClip = 1000;

    public static string Checked(string? value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length is 0 or > MaxLength || value.Trim().Length != value.Length || !value.All(IsLabelChar))
        {
            throw new ArgumentException(
                $"'{Printable(value)}' is not a label (1-{MaxLength} letters, digits, '-', '_', '.' or inner spaces, e.g. car or class-3).", name);
        }

        return value;
    }

    public static string? Optional(string? value, string name) => value is null ? null : Checked(value, name);

    public static string[] CheckedAll(IReadOnlyList<string>? values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count > MaxPerClip)
        {
            throw new ArgumentException($"{name} has {values.Count} labels; at most {MaxPerClip} are allowed.", name);
        }

        var copy = new string[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Checked(values[i], $"{name}[{i}]");
        }

        return copy;
    }

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ' ';

    private static string Printable(string value) =>
        new([.. value.Take(MaxLength + 1).Select(c => char.IsControl(c) ? '?' : c)]);
}
