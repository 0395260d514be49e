using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gym.Envs.Tools;

/// <summary>
/// A gold call in the style of BFCL's possible answers: for each parameter, the values accepted. A parameter whose
/// accepted values include <see cref="Omitted"/> is optional and may be left out.
/// </summary>
/// <param name="Name">The tool.</param>
/// <param name="Accepted">Parameter name to accepted values.</param>
public sealed record GoldCall(string Name, IReadOnlyDictionary<string, IReadOnlyList<JsonNode?>> Accepted)
{
    /// <summary>The marker of an optional parameter (BFCL writes it as the empty string).</summary>
    public static readonly JsonNode Omitted = JsonValue.Create("");
}

/// <summary>
/// Checks model calls against gold calls the way BFCL's AST checker does: for single calls, the name, no missing
/// required and no unknown parameter, each type as the tool's schema declares it (an integer is accepted where a
/// number is expected), and each value among the accepted ones (strings compared case-insensitively, ignoring
/// surrounding spaces); for parallel calls, the same, with calls matched to gold calls in any order.
/// </summary>
public static class BfclChecker
{
    /// <summary>Whether the one model call matches the one gold call; the reason when it does not.</summary>
    public static (bool Ok, string Reason) CheckSingle(IReadOnlyList<ParsedToolCall> calls, GoldCall gold, JsonElement? schema = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(gold);
        if (calls.Count != 1)
            return (false, $"expected one call, got {calls.Count}");
        return Match(calls[0], gold, schema);
    }

    /// <summary>Whether the calls match the gold calls one to one, in any order.</summary>
    public static (bool Ok, string Reason) CheckParallel(IReadOnlyList<ParsedToolCall> calls, IReadOnlyList<GoldCall> gold, IReadOnlyDictionary<string, JsonElement>? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(gold);
        if (calls.Count != gold.Count)
            return (false, $"expected {gold.Count} calls, got {calls.Count}");
        bool[,] fits = new bool[calls.Count, gold.Count];
        for (int i = 0; i < calls.Count; i++)
        {
            for (int j = 0; j < gold.Count; j++)
                fits[i, j] = Match(calls[i], gold[j], schemas is not null && schemas.TryGetValue(gold[j].Name, out JsonElement s) ? s : null).Ok;
        }
        int[] assigned = new int[gold.Count];
        Array.Fill(assigned, -1);
        for (int i = 0; i < calls.Count; i++)
        {
            if (!Augment(i, fits, assigned, new bool[gold.Count]))
                return (false, $"call {i + 1} ({calls[i].Name}) matches no remaining gold call");
        }
        return (true, "");
    }

    // Bipartite matching (Kuhn's augmenting paths): call i takes a gold call, displacing others when they can move.
    private static bool Augment(int call, bool[,] fits, int[] assigned, bool[] seen)
    {
        for (int j = 0; j < assigned.Length; j++)
        {
            if (!fits[call, j] || seen[j])
                continue;
            seen[j] = true;
            if (assigned[j] < 0 || Augment(assigned[j], fits, assigned, seen))
            {
                assigned[j] = call;
                return true;
            }
        }
        return false;
    }

    private static (bool Ok, string Reason) Match(ParsedToolCall call, GoldCall gold, JsonElement? schema)
    {
        if (call.Name != gold.Name)
            return (false, $"called {call.Name}, expected {gold.Name}");
        foreach (string name in call.Arguments.Select(a => a.Key))
        {
            if (!gold.Accepted.ContainsKey(name))
                return (false, $"{gold.Name}: unexpected parameter '{name}'");
        }
        foreach ((string name, IReadOnlyList<JsonNode?> accepted) in gold.Accepted)
        {
            if (!call.Arguments.TryGetPropertyValue(name, out JsonNode? given))
            {
                if (accepted.Any(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0))
                    continue;
                return (false, $"{gold.Name}: missing parameter '{name}'");
            }
            string? declared = schema is { } s && s.TryGetProperty("properties", out JsonElement props) && props.TryGetProperty(name, out JsonElement p)
                && p.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (declared is not null && !TypeFits(given, declared))
                return (false, $"{gold.Name}.{name}: expected {declared}, got {given?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}");
            if (!accepted.Any(a => SameValue(given, a)))
                return (false, $"{gold.Name}.{name}: {given?.ToJsonString(ToolJson.Options) ?? "null"} is not an accepted value");
        }
        return (true, "");
    }

    private static bool TypeFits(JsonNode? value, string type) => (value?.GetValueKind(), type) switch
    {
        (JsonValueKind.String, "string") => true,
        (JsonValueKind.Number, "number") => true,
        (JsonValueKind.Number, "integer") => value!.AsValue().TryGetValue(out long _),
        (JsonValueKind.True or JsonValueKind.False, "boolean") => true,
        (JsonValueKind.Array, "array") => true,
        (JsonValueKind.Object, "object") => true,
        (JsonValueKind.Null, "null") => true,
        _ => false,
    };

    private static bool SameValue(JsonNode? given, JsonNode? accepted)
    {
        if (given is null || accepted is null)
            return given is null && accepted is null;
        JsonValueKind g = given.GetValueKind(), a = accepted.GetValueKind();
        if (g == JsonValueKind.Number && a == JsonValueKind.Number)
            return Math.Abs(ToolJson.Number(given) - ToolJson.Number(accepted)) <= 1e-9 * Math.Max(1, Math.Abs(ToolJson.Number(accepted)));
        if (g == JsonValueKind.String && a == JsonValueKind.String)
            return string.Equals(given.GetValue<string>().Trim(), accepted.GetValue<string>().Trim(), StringComparison.OrdinalIgnoreCase);
        if (g == JsonValueKind.Array && a == JsonValueKind.Array)
        {
            JsonArray x = given.AsArray(), y = accepted.AsArray();
            return x.Count == y.Count && x.Zip(y).All(p => SameValue(p.First, p.Second));
        }
        return JsonNode.DeepEquals(given, accepted);
    }

    /// <summary>Gold calls with exactly one accepted value per parameter, from plain calls.</summary>
    public static GoldCall Exact(ParsedToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new GoldCall(call.Name, call.Arguments.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonNode?>)[p.Value?.DeepClone()]));
    }
}
