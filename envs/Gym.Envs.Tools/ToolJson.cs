using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gym.Envs.Tools;

/// <summary>How tool arguments and results are written for agents: readable JSON (no \u escapes for + or quotes).</summary>
public static class ToolJson
{
    /// <summary>The options.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON number as a double, whatever .NET type backs the node (parsed calls hold longs and doubles).</summary>
    public static double Number(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
