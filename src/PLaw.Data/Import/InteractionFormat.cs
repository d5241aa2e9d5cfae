namespace PLaw.Data.Import;

/// <summary>The interaction-log layouts the importer reads.</summary>
public enum InteractionFormat
{
    /// <summary>MovieLens <c>ratings.dat</c> (<c>user::item::rating::timestamp</c>), <c>u.data</c> (tab separated) or
    /// <c>ratings.csv</c> (header <c>userId,movieId,rating,timestamp</c>), detected from the first line.</summary>
    MovieLens,

    /// <summary>SASRec text: <c>user item</c> per line, whitespace separated, already chronological per user.</summary>
    Sasrec,

    /// <summary>Generic CSV/TSV with a <see cref="CsvColumns"/> mapping.</summary>
    Csv,

    /// <summary>RecBole atomic <c>.inter</c>: tab separated, header of <c>name:type</c> fields.</summary>
    RecBole,
}

/// <summary>CLI names of <see cref="InteractionFormat"/>: movielens, sasrec, csv, recbole.</summary>
public static class InteractionFormats
{
    private static readonly (string Name, InteractionFormat Format)[] All =
    [
        ("movielens", InteractionFormat.MovieLens),
        ("sasrec", InteractionFormat.Sasrec),
        ("csv", InteractionFormat.Csv),
        ("recbole", InteractionFormat.RecBole),
    ];

    /// <summary>Every valid name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToArray();

    /// <summary>Parses a CLI name, case-insensitively.</summary>
    /// <exception cref="ArgumentException">The name is none of <see cref="Names"/>.</exception>
    public static InteractionFormat Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (n, f) in All)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase))
                return f;
        throw new ArgumentException(
            $"Unknown interaction format '{name}'; valid formats: {string.Join(", ", Names)}.", nameof(name));
    }

    public static string Name(InteractionFormat format)
    {
        foreach (var (n, f) in All)
            if (f == format)
                return n;
        throw new ArgumentOutOfRangeException(nameof(format), format, "Not an InteractionFormat.");
    }
}
