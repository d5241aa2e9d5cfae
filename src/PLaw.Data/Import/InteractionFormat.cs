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
    // Indexed by the enum's value (arrays, not tuples or LINQ: no code of them is compiled at run time on a command's start).
    private static readonly string[] NameOf = ["movielens", "sasrec", "csv", "recbole"];

    /// <summary>Every valid name, in declaration order.</summary>
    public static IReadOnlyList<string> Names => NameOf;

    /// <summary>Parses a CLI name, case-insensitively.</summary>
    /// <exception cref="ArgumentException">The name is none of <see cref="Names"/>.</exception>
    public static InteractionFormat Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var f = 0; f < NameOf.Length; f++)
            if (string.Equals(NameOf[f], name.Trim(), StringComparison.OrdinalIgnoreCase))
                return (InteractionFormat)f;
        throw new ArgumentException(
            $"Unknown interaction format '{name}'; valid formats: {string.Join(", ", Names)}.", nameof(name));
    }

    public static string Name(InteractionFormat format) =>
        (uint)format < (uint)NameOf.Length ? NameOf[(int)format]
            : throw new ArgumentOutOfRangeException(nameof(format), format, "Not an InteractionFormat.");
}
