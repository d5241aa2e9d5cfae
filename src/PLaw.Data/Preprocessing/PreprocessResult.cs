using PLaw.Data.Sequences;

namespace PLaw.Data.Preprocessing;

/// <summary>The cleaned sequences and what each step removed. Core counts are users/items that had interactions
/// before k-core filtering and none after. <see cref="RawItemOf"/>[id] is the raw (0-based, first-appearance in the file)
/// index of item id 1..I, entry 0 unused.</summary>
public sealed record PreprocessResult(SequenceSet Sequences, long DuplicatesRemoved, int UsersRemovedByCore, int ItemsRemovedByCore,
    int[] RawItemOf);
