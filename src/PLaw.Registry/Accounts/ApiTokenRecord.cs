namespace PLaw.Registry.Accounts;

/// <summary>A personal API token. Only the SHA-256 of its secret is stored; the secret is shown once when it is created.</summary>
public sealed class ApiTokenRecord
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first <see cref="ApiTokens.PrefixLength"/> characters of the secret, so a list can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the secret (lower-case hex).</summary>
    public required string Hash { get; set; }
    public TokenScope Scope { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? ExpiresUtc { get; set; }
    public DateTime? LastUsedUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
}
