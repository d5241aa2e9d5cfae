using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;

namespace PLaw.Web.Runs;

/// <summary>
/// The options the new-run and new-study forms edit, one <see cref="RunOptionCatalog"/> entry per field. A new form starts
/// from <c>new RunOptions()</c>, the defaults the CLI's <c>plaw train</c> uses too: one set everywhere.
/// </summary>
public sealed class RunForm
{
    public RunForm() : this(new RunOptions())
    {
    }

    // The form shows the variant actually used, so the select has a value.
    private RunForm(RunOptions o) => Options = o with { Variant = o.ResolvedVariant };

    /// <summary>The options as the fields now say.</summary>
    public RunOptions Options { get; private set; }

    public static RunForm From(RunOptions o) => new(o);

    public object? Get(RunOptionSpec option) => option.Get(Options);

    /// <summary>Sets one option. A per-family choice the family does not have (a SASRec layout after switching to HSTU)
    /// falls back to the family's default, the first it lists; an option of other families only (HSTU's ablations after
    /// switching to SASRec) goes back to its default, as its field is no longer shown.</summary>
    public void Set(RunOptionSpec option, object? value)
    {
        Options = option.With(Options, value);
        foreach (var spec in RunOptionCatalog.All)
        {
            if (spec.PerFamily && spec.Get(Options) is string v && spec.ChoicesFor(Options) is var choices && !choices.Contains(v))
                Options = spec.With(Options, choices[0]);
            if (spec.Families is { } families && !families.Contains(Options.Model))
                Options = spec.With(Options, spec.Get(Defaults));
        }
    }

    private static readonly RunOptions Defaults = new();

    public RunOptions ToOptions() => Options;

    /// <summary>What <see cref="RunOptions.Problems"/> says about these values, each with the option (field) it concerns
    /// (the form shows it beside that field; a problem no field shows is listed above the Queue button).</summary>
    public IReadOnlyList<OptionProblem> Problems() => Options.Problems();
}
