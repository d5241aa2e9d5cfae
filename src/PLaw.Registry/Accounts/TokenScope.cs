namespace PLaw.Registry.Accounts;

/// <summary>What an API token may do (and never more than its owner's role).</summary>
public enum TokenScope
{
    /// <summary>GET exports and the runs hub.</summary>
    Read,
    /// <summary>Also the POST /api actions (cancel, re-queue).</summary>
    Write,
    /// <summary>Reserved for remote workers (#15); acts as <see cref="Write"/>.</summary>
    Worker,
}
