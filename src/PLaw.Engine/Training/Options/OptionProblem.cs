namespace PLaw.Engine.Training.Options;

/// <summary>One thing wrong with a set of run options, and the option it is about (null when none: the data, the machine).
/// The CLI leads the message with <c>--{Key}</c>; the form shows it beside the field <c>run-{Key}</c>.</summary>
public sealed record OptionProblem(string? Key, string Message)
{
    public override string ToString() => Message;
}
