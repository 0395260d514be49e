using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gym.Envs.Tools;

/// <summary>How tool arguments and results are written for agents: readable JSON (no \u escapes for + or quotes).</summary>
public static class ToolJson
{
    /// <summary>The options.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
