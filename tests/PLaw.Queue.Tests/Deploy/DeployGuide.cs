using System.Text.RegularExpressions;
using PLaw.Tests.Common;

namespace PLaw.Queue.Tests.Deploy;

/// <summary>
/// docs/deploy.md as a list of shell commands: its <c>```sh</c> blocks, with backslash continuations joined. The tests find a
/// step by what its command says and run it; <see cref="Substitute"/> swaps the guide's example hosts and paths for this
/// machine's, and fails when the guide no longer says what it replaces, so the test and the guide cannot drift apart unseen.
/// </summary>
public sealed partial class DeployGuide
{
    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "docs", "deploy.md");

    private DeployGuide(IReadOnlyList<IReadOnlyList<string>> blocks) => Blocks = blocks;

    /// <summary>Each sh block's commands, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Blocks { get; }

    public static DeployGuide Read()
    {
        var blocks = new List<IReadOnlyList<string>>();
        foreach (Match block in ShBlock().Matches(File.ReadAllText(Path)))
        {
            var commands = new List<string>();
            var pending = "";
            foreach (var raw in block.Groups[1].Value.Split('\n'))
            {
                var line = raw.TrimEnd();
                if (line.EndsWith('\\')) { pending += line[..^1].TrimEnd() + " "; continue; }
                line = (pending + line.Trim()).Trim();
                pending = "";
                if (line.Length > 0 && !line.StartsWith('#')) commands.Add(line);
            }
            blocks.Add(commands);
        }
        return new DeployGuide(blocks);
    }

    /// <summary>The block holding a command that contains <paramref name="text"/>.</summary>
    public IReadOnlyList<string> BlockWith(string text) =>
        Blocks.FirstOrDefault(b => b.Any(c => c.Contains(text, StringComparison.Ordinal)))
        ?? throw new InvalidOperationException($"docs/deploy.md has no sh block with a command containing '{text}'.");

    /// <summary>The first command that starts with <paramref name="prefix"/>.</summary>
    public string Command(string prefix) =>
        Blocks.SelectMany(b => b).FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"docs/deploy.md has no command starting with '{prefix}'.");

    public static string Substitute(string command, IReadOnlyDictionary<string, string> replacements)
    {
        foreach (var (guide, here) in replacements)
        {
            Assert.True(command.Contains(guide, StringComparison.Ordinal),
                $"docs/deploy.md's command no longer contains '{guide}'; update the test's substitutions.\nCommand: {command}");
            command = command.Replace(guide, here, StringComparison.Ordinal);
        }
        return command;
    }

    /// <summary>The words of a command as a POSIX shell splits them (plain, single- and double-quoted words; no expansions).</summary>
    public static IReadOnlyList<string> Words(string command) =>
        ShellWord().Matches(command).Select(w => Quoted().Replace(w.Value, q => q.Groups[1].Success ? q.Groups[1].Value : q.Groups[2].Value)).ToList();

    /// <summary>The <c>export NAME=value</c> lines of a block, values unquoted.</summary>
    public static IReadOnlyDictionary<string, string> Exports(IEnumerable<string> block) => block
        .Where(c => c.StartsWith("export ", StringComparison.Ordinal))
        .Select(c => Words(c[7..]) is [var assignment] ? assignment : throw new InvalidOperationException($"Not one assignment: {c}"))
        .ToDictionary(a => a[..a.IndexOf('=')], a => a[(a.IndexOf('=') + 1)..]);

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    [GeneratedRegex("(?:\"[^\"]*\"|'[^']*'|[^\\s\"'])+")]
    private static partial Regex ShellWord();

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'")]
    private static partial Regex Quoted();
}
