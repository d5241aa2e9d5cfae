namespace PLaw.Registry.Accounts;

/// <summary>What an audit entry records someone doing (lower-case words, as the trail shows them).</summary>
public static class AuditActions
{
    public const string Queued = "queued";
    public const string Cancelled = "cancelled";
    public const string Requeued = "re-queued";
    public const string Cloned = "cloned";
    public const string Imported = "imported";
    public const string Measured = "measured";
    public const string StudyQueued = "study queued";
    public const string SweepQueued = "sweep queued";
    public const string Deleted = "deleted";
    public const string Restored = "restored";
    public const string Purged = "purged";
    public const string UserAdded = "user added";
    public const string UserRoleChanged = "role changed";
    public const string UserLocked = "user locked";
    public const string UserUnlocked = "user unlocked";
    public const string UserRemoved = "user removed";
    public const string PasswordReset = "password reset";
    public const string TokenCreated = "token created";
    public const string TokenRevoked = "token revoked";
    public const string SignedIn = "signed in";
    public const string SignInFailed = "sign-in failed";
}

/// <summary>What kind of thing an audit entry is about.</summary>
public static class AuditSubjects
{
    public const string Run = "run";
    public const string Dataset = "dataset";
    public const string Study = "study";
    public const string Sweep = "sweep";
    public const string User = "user";
    public const string Token = "token";
}
