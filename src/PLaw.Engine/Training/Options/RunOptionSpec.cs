using System.Globalization;
using System.Reflection;

namespace PLaw.Engine.Training.Options;

/// <summary>What a run option's value is, by its property type.</summary>
public enum OptionKind { Whole, Real, Switch, Choice, Text, RealList }

/// <summary>
/// One run option as the CLI, the form, the range checks and the docs see it: a <see cref="RunOptions"/> property read
/// together with its <see cref="RunOptionAttribute"/>. Values travel as the property's own type (boxed).
/// </summary>
public sealed class RunOptionSpec
{
    private static readonly MethodInfo Clone = typeof(RunOptions).GetMethod("<Clone>$")!;
    private readonly PropertyInfo _property;
    private readonly RunOptionAttribute _a;
    private readonly PropertyInfo? _when;
    private readonly Type _type;

    internal RunOptionSpec(PropertyInfo property, RunOptionAttribute attribute)
    {
        _property = property;
        _a = attribute;
        _type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        Optional = Nullable.GetUnderlyingType(property.PropertyType) is not null || attribute.Unset is not null;
        Kind = _type == typeof(int) ? OptionKind.Whole
            : _type == typeof(double) ? OptionKind.Real
            : _type == typeof(bool) ? OptionKind.Switch
            : _type.IsEnum || attribute.Values is not null ? OptionKind.Choice
            : _type == typeof(string) ? OptionKind.Text
            : _type == typeof(double[]) ? OptionKind.RealList
            : throw new InvalidOperationException($"RunOptions.{property.Name}: no option kind for {_type.Name}.");
        _when = attribute.When is { } when
            ? typeof(RunOptions).GetProperty(when) ?? throw new InvalidOperationException($"RunOptions.{property.Name}: When names no property '{when}'.")
            : null;
    }

    public string Key => _a.Key;
    public string Flag => "--" + _a.Key;
    public string Label => _a.Label;
    public string Help => _a.Help;
    public OptionGroup Group => _a.Group;
    public bool Advanced => _a.Advanced;
    public bool PerFamily => _a.PerFamily;
    public OptionKind Kind { get; }

    /// <summary>The property may be null (<see cref="Unset"/> says what null means).</summary>
    public bool Optional { get; }
    public string? Unset => _a.Unset;
    public string PropertyName => _property.Name;
    public Type ValueType => _type;
    public double Min => _a.Min;
    public double Max => _a.Max;
    public double Step => _a.Step;
    public IReadOnlyList<ModelFamily>? Families => _a.Families;

    /// <summary>How range problems start: "MaxLength must be from …".</summary>
    public string Subject => _a.Subject ?? _property.Name;

    public object? Get(RunOptions o) => _property.GetValue(o);

    /// <summary>A copy of <paramref name="o"/> with this option set (the record's own clone, then the init setter).</summary>
    public RunOptions With(RunOptions o, object? value)
    {
        var copy = (RunOptions)Clone.Invoke(o, null)!;
        _property.SetValue(copy, value);
        return copy;
    }

    /// <summary>When the option takes part, in words ("with --loss sampled"; a bool option's own condition is "with --{key}");
    /// null = always.</summary>
    public string? Condition => _when is null ? null
        : _when.GetCustomAttribute<OptionConditionAttribute>()?.Text
          ?? (RunOptionCatalog.All.FirstOrDefault(o => o.PropertyName == _when.Name) is { } flag ? $"with {flag.Flag}" : _when.Name);

    /// <summary>Whether the option takes part in a run with these options (its family, and its <c>When</c> condition).</summary>
    public bool AppliesTo(RunOptions o) =>
        (_a.Families is null || _a.Families.Contains(o.Model)) && (_when is null || (bool)_when.GetValue(o)!);

    /// <summary>The names a choice takes on the command line (lower case; <see cref="OptionValueAttribute"/> where given).</summary>
    public IReadOnlyList<string> Choices => _a.Values ?? (_type.IsEnum ? Enum.GetValues(_type).Cast<object>().Select(NameOf).ToArray() : []);

    /// <summary>The choices that make sense with <paramref name="o"/> (a family's own variants).</summary>
    public IReadOnlyList<string> ChoicesFor(RunOptions o) => _a.PerFamily ? Variants.For(o.Model) : Choices;

    /// <summary>
    /// The value <paramref name="text"/> stands for, or a <see cref="FormatException"/> whose message says what was expected
    /// ("'x' is not one of …"). An empty text (or the <see cref="Unset"/> word) is null for an optional option.
    /// </summary>
    public object? Parse(string text)
    {
        var t = text.Trim();
        if (Optional && (t.Length == 0 || string.Equals(t, Unset, StringComparison.OrdinalIgnoreCase))) return null;
        switch (Kind)
        {
            case OptionKind.Whole:
                return int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? whole : throw new FormatException($"'{text}' is not a whole number.");
            case OptionKind.Real:
                return ParseReal(t, text);
            case OptionKind.Switch:
                return t.ToLowerInvariant() switch
                {
                    "true" or "on" or "yes" or "1" => true,
                    "false" or "off" or "no" or "0" => false,
                    _ => throw new FormatException($"'{text}' is not one of on, off."),
                };
            case OptionKind.Choice:
                if (_type.IsEnum)
                {
                    foreach (var value in Enum.GetValues(_type))
                        if (string.Equals(t, NameOf(value), StringComparison.OrdinalIgnoreCase) || string.Equals(t, value.ToString(), StringComparison.OrdinalIgnoreCase))
                            return value;
                }
                else if (_a.Values!.FirstOrDefault(v => string.Equals(v, t, StringComparison.OrdinalIgnoreCase)) is { } known) return known;
                throw new FormatException($"'{text}' is not one of {string.Join(", ", Choices.Select(c => c.ToLowerInvariant()))}.");
            case OptionKind.RealList:
                return t.Split(',').Select(r => (double)ParseReal(r.Trim(), r.Trim())).ToArray();
            default:
                return t.ToLowerInvariant();
        }
    }

    /// <summary>The value as the command line writes it (the docs and <c>--help</c> show defaults this way).</summary>
    public string Format(object? value) => value switch
    {
        null => Unset ?? "",
        bool b => b ? "on" : "off",
        double d => d.ToString("G", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double[] list => string.Join(",", list.Select(d => d.ToString("G", CultureInfo.InvariantCulture))),
        Enum e => NameOf(e),
        string s => s.ToLowerInvariant(),
        _ => value.ToString() ?? "",
    };

    /// <summary>The range in words, e.g. "1–256", "[0, 1)", "(0, 10]".</summary>
    public string Range
    {
        get
        {
            if (Kind == OptionKind.Choice) return string.Join(" | ", Choices.Select(c => c.ToLowerInvariant()));
            if (double.IsNaN(_a.Min) && double.IsNaN(_a.Max)) return Kind == OptionKind.Whole ? "any 32-bit integer" : "";
            if (Kind == OptionKind.Whole) return string.Create(CultureInfo.InvariantCulture, $"{_a.Min:N0}–{_a.Max:N0}");
            return string.Create(CultureInfo.InvariantCulture, $"{(_a.MinOpen ? "(" : "[")}{_a.Min:G}, {_a.Max:G}{(_a.MaxOpen ? ")" : "]")}");
        }
    }

    /// <summary>Adds this option's range problem, if any (cross-option rules live in <see cref="RunOptions.Problems"/>).</summary>
    internal void Check(RunOptions o, List<OptionProblem> problems)
    {
        var value = Get(o);
        if (value is null) return;
        string? problem = null;
        switch (Kind)
        {
            case OptionKind.Whole when !double.IsNaN(_a.Min):
                problem = RunLimits.Whole(Subject, (int)value, (long)_a.Min, (long)_a.Max);
                break;
            case OptionKind.Real:
                problem = RunLimits.Real(Subject, (double)value, _a.Min, _a.Max, _a.MinOpen, _a.MaxOpen);
                break;
            case OptionKind.Choice when _type.IsEnum && !Enum.IsDefined(_type, value):
                problem = $"{Subject} {Convert.ToInt64(value, CultureInfo.InvariantCulture)} is not one of {string.Join(", ", Enum.GetNames(_type))}.";
                break;
            case OptionKind.Choice when !_type.IsEnum && !_a.PerFamily && !_a.Values!.Contains((string)value):
                problem = $"{Subject} '{value}' is not one of {string.Join(", ", _a.Values!)}.";
                break;
        }
        if (problem is not null) problems.Add(new OptionProblem(Key, problem));
    }

    private static object ParseReal(string t, string text) =>
        double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real : throw new FormatException($"'{text}' is not a number.");

    private static string NameOf(object value) =>
        value.GetType().GetField(value.ToString()!)?.GetCustomAttribute<OptionValueAttribute>()?.Name ?? value.ToString()!.ToLowerInvariant();
}
