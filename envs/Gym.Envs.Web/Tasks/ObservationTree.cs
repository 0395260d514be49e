using System.Text.RegularExpressions;

namespace Gym.Envs.Web.Tasks;

/// <summary>Reading the observation's tree as an agent does: elements by role and name, for the scripted oracles.</summary>
public static partial class ObservationTree
{
    /// <summary>The id of the first element with <paramref name="role"/> and <paramref name="name"/>, or null.</summary>
    public static string? Find(string observation, string role, string name) =>
        Elements(observation).FirstOrDefault(e => e.Role == role && e.Name == name).Id;

    /// <summary>Every element with an id: (id, role, name, the rest of its line: value, states), in page order.</summary>
    public static IEnumerable<(string Id, string Role, string Name, string State)> Elements(string observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        foreach (Match m in Line().Matches(observation))
            yield return (m.Groups[1].Value, m.Groups[2].Value, Regex.Unescape(m.Groups[3].Value), m.Groups[4].Value);
    }

    /// <summary>The page's URL, from the observation's <c>URL:</c> line.</summary>
    public static Uri? Url(string observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        string? line = observation.Split('\n').FirstOrDefault(l => l.StartsWith("URL: ", StringComparison.Ordinal));
        return line is not null && Uri.TryCreate(line[5..].Trim(), UriKind.Absolute, out Uri? url) ? url : null;
    }

    /// <summary>A Python string literal of <paramref name="s"/>, for writing actions.</summary>
    public static string Quote(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex(@"^\s*\[(\d+)\] (\S+) ""((?:[^""\\]|\\.)*)""([^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex Line();
}
