using System.Security.Cryptography;

namespace PLaw.Web.Components.Access;

/// <summary>A password for someone else to change later: 20 characters from a 56-letter alphabet without look-alikes (about 116 bits).</summary>
public static class GeneratedPassword
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 20);
}
