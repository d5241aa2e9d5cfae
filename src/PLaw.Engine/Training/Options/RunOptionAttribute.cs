namespace PLaw.Engine.Training.Options;

/// <summary>
/// Declares a <see cref="RunOptions"/> property a run option: its flag (<c>--{Key}</c>), the dashboard form's field
/// (<c>run-{Key}</c>), its help, its range and where it applies. <see cref="RunOptionCatalog"/> reads these, so the CLI flags,
/// the form fields, the range checks and the documentation table all come from the property's declaration.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RunOptionAttribute(string key, string label, OptionGroup group) : Attribute
{
    /// <summary>Flag name without dashes, and the form field's id suffix (e.g. <c>max-len</c>).</summary>
    public string Key { get; } = key;

    /// <summary>The form's label, e.g. "Width d".</summary>
    public string Label { get; } = label;

    public OptionGroup Group { get; } = group;

    /// <summary>One line for <c>--help</c>, the form's helper text and the docs table; the range and default are added there.</summary>
    public string Help { get; set; } = "";

    /// <summary>How range problems name the option (defaults to the property name, e.g. "MaxLength must be from …").</summary>
    public string? Subject { get; set; }

    /// <summary>Inclusive range unless <see cref="MinOpen"/> / <see cref="MaxOpen"/>; NaN = unbounded on that side. Reals must
    /// always be finite.</summary>
    public double Min { get; set; } = double.NaN;
    public double Max { get; set; } = double.NaN;
    public bool MinOpen { get; set; }
    public bool MaxOpen { get; set; }

    /// <summary>The form's step for a real number.</summary>
    public double Step { get; set; } = double.NaN;

    /// <summary>For a text option with a fixed set of values (lower case).</summary>
    public string[]? Values { get; set; }

    /// <summary>A text choice whose values depend on the family (<see cref="Variants.For"/>); <see cref="Values"/> lists them all.</summary>
    public bool PerFamily { get; set; }

    /// <summary>What an unset (null) value means, e.g. "off", "never", "the family's default".</summary>
    public string? Unset { get; set; }

    /// <summary>The families the option means something for; null = every family.</summary>
    public ModelFamily[]? Families { get; set; }

    /// <summary>Name of a bool property of <see cref="RunOptions"/> that says whether the option takes part (e.g. negatives
    /// only with sampled softmax); the form hides it otherwise. Null = always.</summary>
    public string? When { get; set; }

    /// <summary>The form folds it under "More options".</summary>
    public bool Advanced { get; set; }
}

/// <summary>How the form and the docs group the run options.</summary>
public enum OptionGroup { Model, Shape, Objective, Optimiser, Evaluation, Compute }

/// <summary>The name an enum value takes on the command line and in the docs, when it is not the lower-case member name
/// (<c>LossKind.SampledSoftmax</c> is <c>sampled</c>).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class OptionValueAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Says in words when a condition property of <see cref="RunOptions"/> (named by <see cref="RunOptionAttribute.When"/>)
/// holds, for the docs table and <c>--help</c>: "with --loss sampled".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionConditionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
