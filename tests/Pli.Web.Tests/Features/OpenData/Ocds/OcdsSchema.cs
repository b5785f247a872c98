using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Pli.Web.Tests.Features.OpenData.Ocds;

/// <summary>
/// The OCDS 1.1.5 release package schema (copied unmodified in schemas/, see SOURCE.txt), with the release schema
/// it references registered under its URL: no network. The schemas are draft-04, which JsonSchema.Net does not
/// read; they use nothing draft-07 reads differently, so they are loaded as draft-07 after three mechanical
/// renames: "id" → "$id" at the root, the "$schema" URI, and OCDS's own "deprecated" objects (draft 2019-09 made
/// "deprecated" a boolean keyword) moved aside as "x-deprecated".
/// </summary>
public static class OcdsSchema
{
    public const string ReleaseSchemaUri = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";
    public const string PackageSchemaUri = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json";

    private static readonly Lazy<JsonSchema> Package = new(Load);

    /// <summary>The schema's errors on <paramref name="json"/>, as "location: message" lines; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Package.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }
        return [.. (results.Details ?? [results])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.SchemaLocation}): {e.Key} {e.Value}"))];
    }

    public static void AssertValid(string json)
    {
        var errors = Errors(json);
        Assert.True(errors.Count == 0, "Invalid OCDS release package:\n" + string.Join('\n', errors.Take(30)));
    }

    private static JsonSchema Load()
    {
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft07 };
        var release = JsonSchema.FromText(Draft07("release-schema.json"), options, new Uri(ReleaseSchemaUri));
        registry.Register(new Uri(ReleaseSchemaUri), release);
        return JsonSchema.FromText(Draft07("release-package-schema.json"), options, new Uri(PackageSchemaUri));
    }

    private static string Draft07(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Features", "OpenData", "Ocds", "schemas", file);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["$id"] = root["id"]!.GetValue<string>();
        root.Remove("id");
        root["$schema"] = "http://json-schema.org/draft-07/schema#";
        MoveDeprecated(root);
        return root.ToJsonString();
    }

    private static void MoveDeprecated(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["deprecated"] is JsonObject deprecated)
                {
                    o.Remove("deprecated");
                    o["x-deprecated"] = deprecated;
                }
                foreach (var (_, child) in o.ToList())
                {
                    MoveDeprecated(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    MoveDeprecated(child);
                }
                break;
            default:
                break;
        }
    }
}
