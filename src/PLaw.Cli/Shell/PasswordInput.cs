using System.CommandLine;
using System.Security.Cryptography;

namespace PLaw.Cli.Shell;

/// <summary>
/// Where a new password comes from: <c>--password-file F</c> (its first line), <c>--password-stdin</c>, or, with neither, a
/// generated one (20 characters from 15 random bytes, 120 bits) that is printed once. Never a flag's value: it would sit in
/// the shell history and in <c>ps</c>.
/// </summary>
internal sealed class PasswordInput
{
    public readonly Option<FileInfo?> File = new("--password-file") { Description = "Read the password from the first line of this file." };
    public readonly Option<bool> Stdin = new("--password-stdin") { Description = "Read the password from the first line of standard input." };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Stdin);
    }

    /// <summary>The password, and whether it was generated (so the caller prints it).</summary>
    public (string Password, bool Generated) Read(ParseResult result)
    {
        var file = result.GetValue(File);
        var stdin = result.GetValue(Stdin);
        if (file is not null && stdin) throw new ArgumentException("Give the password with --password-file or --password-stdin, not both.");
        if (file is not null)
        {
            if (!file.Exists) throw new FileNotFoundException($"--password-file: {file.FullName} does not exist.");
            using var reader = file.OpenText();
            return (Line(reader.ReadLine(), "--password-file"), false);
        }
        if (stdin) return (Line(Console.In.ReadLine(), "--password-stdin"), false);
        return (Generate(), true);
    }

    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    private static string Line(string? line, string flag)
    {
        var password = line?.TrimEnd('\r', '\n') ?? "";
        if (password.Length == 0) throw new ArgumentException($"{flag}: the password is empty.");
        return password;
    }
}
