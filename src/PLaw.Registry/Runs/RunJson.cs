using PLaw.Engine.Training;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>Run options as the registry stores them (camelCase, enums by name).</summary>
public static class RunJson
{
    public static string Serialize(RunOptions options) => RegistryJson.Serialize(options);

    public static RunOptions Options(RunRecord run) => RegistryJson.Deserialize<RunOptions>(run.OptionsJson);

    public static IReadOnlyDictionary<string, double> Metrics(string? json) =>
        json is null ? new Dictionary<string, double>() : RegistryJson.Deserialize<Dictionary<string, double>>(json);
}
