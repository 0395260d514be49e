using System.Text.Json.Nodes;

namespace Gym.Envs.Tools;

/// <summary>Weights of ToolRL's fine-grained reward parts (all 0: no shaping).</summary>
public sealed record ShapingWeights(double Format = 0, double Name = 0, double ParameterName = 0, double ParameterValue = 0)
{
    /// <summary>Whether any part is weighted.</summary>
    public bool Any => Format != 0 || Name != 0 || ParameterName != 0 || ParameterValue != 0;
}

/// <summary>
/// ToolRL's fine-grained reward of one turn's calls against the gold calls of that turn: format (the turn parsed),
/// tool-name match (F1 of the name multisets), parameter-name match (Jaccard of the parameter names of calls paired
/// by name) and parameter-value match (the fraction of gold parameters given with the gold value), each weighted.
/// </summary>
public static class ToolRlReward
{
    /// <summary>The weighted reward and its parts.</summary>
    public static (double Reward, double Format, double Name, double ParameterName, double ParameterValue) Score(
        bool parsed, IReadOnlyList<ParsedToolCall> calls, IReadOnlyList<ParsedToolCall> gold, ShapingWeights weights)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(weights);
        if (!parsed)
            return (0, 0, 0, 0, 0);  // a turn that cannot be read earns nothing
        double format = 1;
        List<string> predictedNames = [.. calls.Select(c => c.Name)], goldNames = [.. gold.Select(c => c.Name)];
        int common = 0;
        List<string> remaining = [.. goldNames];
        foreach (string n in predictedNames)
        {
            if (remaining.Remove(n))
                common++;
        }
        double name = predictedNames.Count + goldNames.Count == 0 ? 1 : 2.0 * common / (predictedNames.Count + goldNames.Count);
        double parameterName = 0, parameterValue = 0;
        int pairs = 0, goldParameters = gold.Sum(g => g.Arguments.Count), rightValues = 0;
        List<ParsedToolCall> unpaired = [.. calls];
        foreach (ParsedToolCall g in gold)
        {
            ParsedToolCall? c = unpaired.FirstOrDefault(x => x.Name == g.Name);
            if (c is null)
                continue;
            unpaired.Remove(c);
            HashSet<string> a = [.. c.Arguments.Select(p => p.Key)], b = [.. g.Arguments.Select(p => p.Key)];
            int union = a.Union(b).Count();
            parameterName += union == 0 ? 1 : (double)a.Intersect(b).Count() / union;
            pairs++;
            rightValues += g.Arguments.Count(p => c.Arguments.TryGetPropertyValue(p.Key, out JsonNode? v) && JsonNode.DeepEquals(v, p.Value));
        }
        parameterName = gold.Count == 0 ? (calls.Count == 0 ? 1 : 0) : parameterName / gold.Count;
        parameterValue = goldParameters == 0 ? (pairs == gold.Count ? 1 : 0) : (double)rightValues / goldParameters;
        double reward = weights.Format * format + weights.Name * name + weights.ParameterName * parameterName + weights.ParameterValue * parameterValue;
        return (reward, format, name, parameterName, parameterValue);
    }
}
