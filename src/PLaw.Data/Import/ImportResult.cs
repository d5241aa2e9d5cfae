using PLaw.Data.Sequences;

namespace PLaw.Data.Import;

/// <summary>The imported, preprocessed sequences and what happened on the way.</summary>
public sealed record ImportResult(SequenceSet Sequences, ImportStatistics Statistics);

/// <summary>
/// Counts from one import. <see cref="Lines"/> counts data lines (no header, no blank lines); <see cref="Interactions"/>
/// is what the returned sequences hold; <see cref="RawUsers"/>/<see cref="RawItems"/> are the distinct ids in the file;
/// <see cref="Domains"/> the item domains kept (0 = the import gave none); <see cref="PositiveLabels"/> the positive
/// impressions among the kept interactions when the import kept labels (null otherwise).
/// </summary>
public sealed record ImportStatistics(
    long Lines,
    long Interactions,
    long DuplicatesRemoved,
    long BelowRatingThreshold,
    int UsersRemovedByCore,
    int ItemsRemovedByCore,
    int RawUsers,
    int RawItems,
    int Domains = 0,
    long? PositiveLabels = null);
