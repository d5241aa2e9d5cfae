using System.CommandLine;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;

namespace PLaw.Cli.Shell;

/// <summary>
/// The flags that make a <see cref="RunOptions"/> (<c>plaw train</c>, <c>plaw queue</c>, <c>plaw study</c>): one per
/// <see cref="RunOptionCatalog"/> entry, named, described and parsed by the option's own metadata. Every default comes from
/// <c>new RunOptions()</c>, the one set of defaults the dashboard's form uses too, and <c>--help</c> shows it.
/// The flags are built only for a command this process may run (<see cref="InvokedCommand"/>): reading the catalogue and
/// describing some sixty options costs start-up tens of milliseconds, which <c>plaw --help</c> and the other commands skip.
/// </summary>
internal sealed class RunOptionFlags
{
    /// <summary>The one source of defaults.</summary>
    public static readonly RunOptions Defaults = new();

    private (RunOptionSpec Spec, Option Option)[]? _flags;

    private (RunOptionSpec Spec, Option Option)[] Flags => _flags ??= [.. RunOptionCatalog.All.Select(spec => (spec, Create(spec)))];

    /// <summary>Adds the flags, in the catalogue's order, to <paramref name="command"/> when it may be the command run.</summary>
    public void AddTo(Command command)
    {
        if (!InvokedCommand.MayRun(command)) return;
        foreach (var (_, option) in Flags) command.Options.Add(option);
    }

    /// <summary>The options the flags name; an unset flag keeps <see cref="Defaults"/>' value. A value that does not parse
    /// is an <see cref="ArgumentException"/> led by its flag ("--layers: 'x' is not a whole number.").</summary>
    public RunOptions Bind(ParseResult result)
    {
        var o = Defaults;
        foreach (var (spec, option) in Flags)
        {
            if (result.GetResult(option) is not { Implicit: false }) continue;
            object? value;
            try
            {
                value = option is Option<bool> flag ? result.GetValue(flag) : spec.Parse(result.GetValue((Option<string>)option) ?? "");
            }
            catch (FormatException e)
            {
                // A number that does not parse is told the option's range; a choice's message already lists the choices.
                throw new ArgumentException(spec.Kind is OptionKind.Whole or OptionKind.Real ? $"{spec.Flag}: {e.Message} {Describe(spec)}" : $"{spec.Flag}: {e.Message}");
            }
            o = spec.With(o, value);
        }
        return o;
    }

    /// <summary>
    /// Refuses options <see cref="RunOptions.Problems"/> finds problems with, each problem led by the flag it is about; with
    /// <paramref name="itemCount"/>, also a run that cannot fit in this machine's memory (<see cref="MemoryEstimate"/>).
    /// </summary>
    public static void ThrowIfInvalid(RunOptions options, int? itemCount = null)
    {
        var problems = options.Problems(itemCount).Select(Explain).ToList();
        if (problems.Count == 0 && itemCount is { } items && MemoryEstimate.Problem(options, items) is { } memory) problems.Add(memory);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
    }

    /// <summary>The problem led by its option's flag.</summary>
    public static string Explain(OptionProblem problem) => problem.Key is { } key ? $"--{key}: {problem.Message}" : problem.Message;

    /// <summary>The problems as one line, each led by the flag it is about (<see cref="Explain(string)"/>).</summary>
    public static string Explain(IEnumerable<string> problems) => string.Join(" ", problems.Select(Explain));

    /// <summary>
    /// A problem that arrives as text (from the registry, or a backend) led by the flag of the option whose subject starts it
    /// ("Layers must be …" → "--layers: Layers must be …"); a run's name before it stays in front ("run: --layers: …").
    /// Text that names no option is left as it is.
    /// </summary>
    public static string Explain(string problem)
    {
        if (SubjectOf(problem) is { } spec) return $"{spec.Flag}: {problem}";
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && SubjectOf(problem[(colon + 2)..]) is { } inner
            ? $"{problem[..(colon + 2)]}{inner.Flag}: {problem[(colon + 2)..]}"
            : problem;
    }

    // Longest subject first, where one starts another (LayerDropout / Layers, EvalEvery / Eval).
    private static readonly RunOptionSpec[] BySubject = [.. RunOptionCatalog.All.OrderByDescending(s => s.Subject.Length)];

    private static RunOptionSpec? SubjectOf(string text) =>
        BySubject.FirstOrDefault(s => text.StartsWith(s.Subject + " ", StringComparison.Ordinal));

    /// <summary>"Training epochs, 1–100,000.", "Dropout rate, [0, 1).", "The optimiser. One of adam | adamw | sgd."</summary>
    private static string Describe(RunOptionSpec spec) => spec.Kind switch
    {
        OptionKind.Whole or OptionKind.Real when spec.Range.Length > 0 => $"{spec.Help.TrimEnd('.')}, {spec.Range}.",
        OptionKind.Choice => $"{spec.Help} One of {spec.Range}.",
        _ => spec.Help,
    };

    private static Option Create(RunOptionSpec spec)
    {
        var defaultText = spec.Format(spec.Get(Defaults));
        if (spec.Kind == OptionKind.Switch)
            // System.CommandLine shows no default for a bool flag: the description says it.
            return new Option<bool>(spec.Flag) { Description = $"{Describe(spec)} [default: {defaultText}]", DefaultValueFactory = _ => (bool)spec.Get(Defaults)! };
        // An unset default (null) is described, not given: the option then stays null unless the flag is used.
        return spec.Get(Defaults) is null
            ? new Option<string>(spec.Flag) { Description = $"{Describe(spec)} [default: {defaultText}]" }
            : new Option<string>(spec.Flag) { Description = Describe(spec), DefaultValueFactory = _ => defaultText };
    }

    public static T ParseEnum<T>(string text, string flag) where T : struct, Enum =>
        !int.TryParse(text.Trim(), out _) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{flag}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
