namespace PLaw.Data.Preprocessing;

/// <summary>
/// Cleaning applied after reading, in this order: rating threshold, duplicate removal, k-core to a fixed point,
/// stable chronological sort per user, dense re-indexing, last-<see cref="MaxLength"/> truncation.
/// </summary>
/// <param name="MinRating">Keep interactions rated at least this; null keeps all.</param>
/// <param name="UserCore">Every kept user has at least this many interactions; 0 is off.</param>
/// <param name="ItemCore">Every kept item has at least this many interactions; 0 is off.</param>
/// <param name="MaxLength">Keep each user's newest items only; null keeps all.</param>
/// <param name="RemoveDuplicates">Drop repeated (user, item, timestamp) lines, keeping the first.</param>
public sealed record PreprocessOptions(
    double? MinRating = null,
    int UserCore = 0,
    int ItemCore = 0,
    int? MaxLength = null,
    bool RemoveDuplicates = false)
{
    public static PreprocessOptions None { get; } = new();

    /// <summary>Throws when a count is negative or the length not positive.</summary>
    public void Validate()
    {
        if (UserCore < 0) throw new ArgumentOutOfRangeException(nameof(UserCore), UserCore, "User core must be 0 (off) or positive.");
        if (ItemCore < 0) throw new ArgumentOutOfRangeException(nameof(ItemCore), ItemCore, "Item core must be 0 (off) or positive.");
        if (MaxLength is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "Max length must be positive or null (keep all).");
        if (MinRating is { } r && !double.IsFinite(r)) throw new ArgumentOutOfRangeException(nameof(MinRating), r, "Min rating must be finite.");
    }
}
