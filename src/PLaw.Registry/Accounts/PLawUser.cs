using Microsoft.AspNetCore.Identity;

namespace PLaw.Registry.Accounts;

/// <summary>A person (or the local single user) who signs in to the dashboard or owns API tokens.</summary>
public sealed class PLawUser : IdentityUser
{
    public DateTime CreatedUtc { get; set; }
}
