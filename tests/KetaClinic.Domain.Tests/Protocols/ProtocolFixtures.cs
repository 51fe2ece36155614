using System.Text.Json.Nodes;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Tests.Protocols;

internal static class ProtocolFixtures
{
    public const string IvFile = "iv-racemic-ketamine.json";
    public const string EsketamineFile = "esketamine-intranasal.json";

    public static TreatmentProtocol Iv => ProtocolLibrary.Default.Get("iv-racemic-ketamine");

    public static TreatmentProtocol Esketamine => ProtocolLibrary.Default.Get("esketamine-intranasal");

    public static TreatmentProtocol Sublingual => ProtocolLibrary.Default.Get("sublingual-racemic-ketamine");

    public static string BuiltInJson(string fileName) =>
        ProtocolLoader.BuiltInFiles().Single(f => f.FileName == fileName).Json;

    /// <summary>Loads a built-in file after an edit, as a clinic would.</summary>
    public static ProtocolLoadResult LoadEdited(string fileName, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(BuiltInJson(fileName), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        edit(root);
        return ProtocolLoader.Load(root.ToJsonString(), "clinic/" + fileName);
    }

    public static TreatmentProtocol Edited(string fileName, Action<JsonObject> edit)
    {
        var result = LoadEdited(fileName, edit);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Protocol;
    }

    public static void SetValue(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }

        node[parts[^1]] = value;
    }
}
