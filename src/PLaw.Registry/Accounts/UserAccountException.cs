namespace PLaw.Registry.Accounts;

/// <summary>A user or token change that was refused, with a message fit to show as it is (Identity's own wording when it refused).</summary>
public sealed class UserAccountException(string message) : InvalidOperationException(message);
