using PLaw.Data.Sequences;

namespace PLaw.Data.Preprocessing;

/// <summary>The cleaned sequences and what each step removed. Core counts are users/items that had interactions
/// before k-core filtering and none after.</summary>
public sealed record PreprocessResult(SequenceSet Sequences, long DuplicatesRemoved, int UsersRemovedByCore, int ItemsRemovedByCore);
