namespace PLaw.Registry.Runs;

/// <summary>Options that cannot be trained (a bad combination, an unknown dataset); nothing was queued.</summary>
public sealed class RunOptionsException(IReadOnlyList<string> problems)
    : ArgumentException(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
