using System.Reflection;

namespace PLaw.Engine.Training.Options;

/// <summary>Every run option, in the order <see cref="RunOptions"/> declares them: the one list the CLI flags, the dashboard's
/// form, the range checks and the docs table are made from.</summary>
public static class RunOptionCatalog
{
    public static IReadOnlyList<RunOptionSpec> All { get; } = typeof(RunOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<RunOptionAttribute>() is not null)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new RunOptionSpec(p, p.GetCustomAttribute<RunOptionAttribute>()!))
        .ToArray();

    /// <summary>The option with flag <c>--{key}</c>.</summary>
    public static RunOptionSpec Get(string key) =>
        All.FirstOrDefault(o => o.Key == key) ?? throw new KeyNotFoundException($"No run option '{key}'.");
}
