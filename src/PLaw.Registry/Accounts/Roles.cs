namespace PLaw.Registry.Accounts;

/// <summary>
/// The three roles, each including the ones below it: Viewer &lt; Member &lt; Admin. A user is stored with its own role and
/// every role below it, so a principal built from the store admits an admin wherever a member or viewer may go.
/// </summary>
public static class Roles
{
    public const string Viewer = "Viewer";
    public const string Member = "Member";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Member, Admin];

    /// <summary>The role named by <paramref name="text"/> (any case, surrounding blanks ignored); null when it names none.</summary>
    public static string? Parse(string? text)
    {
        var trimmed = text?.Trim();
        foreach (var role in All)
            if (string.Equals(role, trimmed, StringComparison.OrdinalIgnoreCase)) return role;
        return null;
    }

    public static bool AtLeast(string? role, string required) => Rank(role) >= Rank(required) && Rank(required) >= 0;

    /// <summary>The role and every role below it: Admin gives Viewer, Member, Admin.</summary>
    public static IEnumerable<string> Implied(string role)
    {
        var rank = Rank(role);
        if (rank < 0) throw new ArgumentException($"'{role}' is not a role; expected one of {string.Join(", ", All)}.", nameof(role));
        return All.Take(rank + 1);
    }

    /// <summary>The highest role among <paramref name="roles"/>, or null when none is a known role.</summary>
    public static string? Highest(IEnumerable<string> roles)
    {
        string? best = null;
        foreach (var role in roles)
            if (Rank(role) > Rank(best)) best = All[Rank(role)];
        return best;
    }

    private static int Rank(string? role) => role is null ? -1 : IndexOf(Parse(role));

    private static int IndexOf(string? role)
    {
        for (var i = 0; i < All.Count; i++)
            if (All[i] == role) return i;
        return -1;
    }
}
