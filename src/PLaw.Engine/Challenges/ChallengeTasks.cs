namespace PLaw.Engine.Challenges;

/// <summary>The five challenge tasks of LSRM §V.</summary>
[Flags]
public enum ChallengeTasks
{
    None = 0,
    LongTail = 1,
    ColdStart = 2,
    Robustness = 4,
    Trajectory = 8,
    MultiDomain = 16,
    All = LongTail | ColdStart | Robustness | Trajectory | MultiDomain,
}

public static class ChallengeTaskNames
{
    private static readonly (string Name, ChallengeTasks Task)[] Names =
    [
        ("longtail", ChallengeTasks.LongTail), ("coldstart", ChallengeTasks.ColdStart),
        ("robustness", ChallengeTasks.Robustness), ("trajectory", ChallengeTasks.Trajectory), ("multidomain", ChallengeTasks.MultiDomain),
    ];

    public static string Valid => string.Join(", ", Names.Select(n => n.Name));

    /// <summary>Parses a comma-separated list such as <c>longtail,trajectory</c> (case-insensitive).</summary>
    public static ChallengeTasks Parse(string text)
    {
        var tasks = ChallengeTasks.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Names.FirstOrDefault(n => string.Equals(n.Name, part, StringComparison.OrdinalIgnoreCase) ||
                                                  string.Equals(n.Name, part.Replace("-", ""), StringComparison.OrdinalIgnoreCase));
            if (match.Name is null) throw new ArgumentException($"'{part}' is not a challenge task; valid: {Valid}.");
            tasks |= match.Task;
        }
        if (tasks == ChallengeTasks.None) throw new ArgumentException($"No challenge task given; valid: {Valid}.");
        return tasks;
    }
}
