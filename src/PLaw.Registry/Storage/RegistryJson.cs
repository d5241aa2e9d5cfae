using System.Text.Json;
using System.Text.Json.Serialization;

namespace PLaw.Registry.Storage;

/// <summary>The one JSON shape the registry stores and the CLI prints: camelCase, enums by name.</summary>
public static class RegistryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Registry JSON did not hold a {typeof(T).Name}.");
}
