using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>
/// The registry's JSON shape for exports, with every time written as UTC with its <c>Z</c> (SQLite hands times back without a
/// kind, which System.Text.Json would write as local-less "2026-11-29T16:01:47.999"): the same instants the CSV export writes.
/// </summary>
public static class UtcJson
{
    public static JsonSerializerOptions Options { get; } = new(RegistryJson.Options)
    {
        Converters = { new UtcDateTimeConverter() },
    };

    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc))
                .ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
    }
}
