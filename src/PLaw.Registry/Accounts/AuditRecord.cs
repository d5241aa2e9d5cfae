namespace PLaw.Registry.Accounts;

/// <summary>One line of the audit trail: who did what to which run, dataset, study, sweep, user or token, and when.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    /// <summary>A user name, <c>local</c>, or <c>cli:&lt;OS user&gt;</c>.</summary>
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string SubjectKind { get; set; }
    public int? SubjectId { get; set; }
    public required string Detail { get; set; }
}
