using System.Text.Json;
using System.Text.Json.Nodes;
using PLaw.Laws.Fitting;

namespace PLaw.Cli.Shell;

/// <summary>JSON of fits for <c>plaw fit … --json</c>: parameters under their law names (w1 … D, b; E, N0, alpha), camelCase otherwise.</summary>
internal static class LawJson
{
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Parameters by name, then standardErrors, notIdentifiable, tradeoffs, r2, sse, rmse, points.</summary>
    public static JsonObject Fit(string law, LawFit fit)
    {
        var json = new JsonObject { ["law"] = law };
        var errors = new JsonObject();
        for (var j = 0; j < fit.Values.Length; j++)
        {
            json[fit.Names[j]] = Number(fit.Values[j]);
            errors[fit.Names[j]] = fit.StandardErrors[j] is { } se ? Number(se) : null;
        }
        json["standardErrors"] = errors;
        json["notIdentifiable"] = new JsonArray(fit.NotIdentifiable.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        json["tradeoffs"] = new JsonArray(fit.Identifiability.Tradeoffs
            .Select(g => (JsonNode?)new JsonArray(g.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray())).ToArray());
        json["strongCorrelations"] = new JsonArray(fit.StrongCorrelations()
            .Select(c => (JsonNode?)new JsonObject { ["a"] = c.A, ["b"] = c.B, ["r"] = Number(c.Correlation) }).ToArray());
        json["warnings"] = new JsonArray(fit.Warnings
            .Select(w => (JsonNode?)new JsonObject { ["parameter"] = w.Parameter, ["text"] = w.Text }).ToArray());
        json["degenerate"] = fit.Warnings.Count > 0;
        json["r2"] = Number(fit.R2);
        json["sse"] = Number(fit.Sse);
        json["rmse"] = Number(fit.Rmse);
        json["points"] = fit.Data.Count;
        json["converged"] = fit.Converged;
        return json;
    }

    /// <summary>A number, or null when not finite (JSON has no NaN).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static string Write(JsonNode node) => node.ToJsonString(Indented);
}
