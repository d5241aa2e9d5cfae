namespace PLaw.Registry.Accounts;

/// <summary>A user as the users list shows it: its highest role, and whether it is locked out now.</summary>
public sealed record UserView(string Id, string UserName, string Role, DateTime CreatedUtc, bool LockedOut);
