using System.CommandLine;
using System.Text.Json;
using PLaw.Cli.Shell;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw options [--json]</c>: every run option of <c>train</c>, <c>queue</c> and <c>study</c> (and of the
/// dashboard's form) with its default, range and when it takes part — the README's table, made from the options' own
/// declarations (<see cref="RunOptionCatalog"/>).</summary>
internal static class OptionsCommand
{
    public static Command Create()
    {
        var command = new Command("options", "List the run options (flags of train, queue and study; fields of the dashboard's form): " +
                                             "default, range, when each takes part. Markdown, as in the README; --json for a list.")
        {
            CommonOptions.Json,
        };
        command.SetAction(result =>
        {
            if (!result.GetValue(CommonOptions.Json))
            {
                Console.Write(RunOptionsTable.Markdown());
                return 0;
            }
            var defaults = new RunOptions();
            var list = RunOptionCatalog.All.Select(o => new
            {
                flag = o.Flag, field = o.Label, property = o.PropertyName, kind = o.Kind.ToString().ToLowerInvariant(),
                @default = o.Format(o.Get(defaults)), range = o.Range, choices = o.Choices, takesPart = o.Condition,
                families = o.Families?.Select(f => f.ToString().ToLowerInvariant()), advanced = o.Advanced, help = o.Help,
            });
            Console.WriteLine(JsonSerializer.Serialize(list, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }
}
