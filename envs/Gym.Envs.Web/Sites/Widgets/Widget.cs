using System.Net;
using System.Text.Json;
using Gym.Core;

namespace Gym.Envs.Web.Sites.Widgets;

/// <summary>
/// One step of a widget's solution, in terms of what a person sees: act on the element with this role and
/// accessible name. The oracle turns it into an action on the id the observation shows for that element.
/// </summary>
/// <param name="Action">The action's name (click, fill, select_option, check, hover, press, drag_and_drop, send_msg_to_user, report_infeasible).</param>
/// <param name="Role">The target's role, or null for actions without a target.</param>
/// <param name="Name">The target's accessible name.</param>
/// <param name="Argument">The action's text argument (text to fill, option, key, answer), or null.</param>
/// <param name="ToRole">For drag_and_drop, the drop target's role.</param>
/// <param name="ToName">For drag_and_drop, the drop target's name.</param>
public sealed record SolutionStep(string Action, string? Role, string? Name, string? Argument = null, string? ToRole = null, string? ToName = null)
{
    /// <summary>Click the element.</summary>
    public static SolutionStep Click(string role, string name) => new("click", role, name);

    /// <summary>Fill a text box.</summary>
    public static SolutionStep Fill(string role, string name, string text) => new("fill", role, name, text);

    /// <summary>Answer the user.</summary>
    public static SolutionStep Answer(string text) => new("send_msg_to_user", null, null, text);
}

/// <summary>
/// A generated instance of a widget task: the goal, the page body (HTML and its script), how the oracle solves
/// it, and how the page's own state is judged. Pages report what the user did by calling <c>gymSubmit(state)</c>;
/// <see cref="Judge"/> decides on that state (the expected answer never goes into the page).
/// </summary>
public sealed record WidgetInstance(string Goal, string Body, IReadOnlyList<SolutionStep> Solution, Func<JsonElement, bool> Judge)
{
    /// <summary>Tasks answered with send_msg_to_user: the text a right answer must contain (case-insensitive).</summary>
    public string? ExpectedAnswer { get; init; }

    /// <summary>Tasks that cannot be done: report_infeasible is the right answer.</summary>
    public bool Infeasible { get; init; }
}

/// <summary>A kind of widget task that makes instances from a seed.</summary>
public interface IWidget
{
    /// <summary>Its name in URLs and task files (<c>click-button</c>).</summary>
    string Name { get; }

    /// <summary>The instance of <paramref name="seed"/>.</summary>
    WidgetInstance Generate(long seed);
}

/// <summary>Small helpers the widgets share.</summary>
internal static class W
{
    public static readonly string[] Words =
    [
        "apple", "river", "stone", "cloud", "maple", "ember", "falcon", "harbor", "lumen", "orbit", "pepper", "quartz", "saffron",
        "tundra", "velvet", "willow", "zephyr", "amber", "cobalt", "delta", "echo", "fjord", "garnet", "hazel", "indigo", "juniper",
        "kettle", "lagoon", "meadow", "nectar", "onyx", "pebble", "quill", "rustic", "sierra", "timber", "umber", "violet", "walnut",
    ];

    public static readonly string[] Names = ["alice", "bruno", "chen", "dara", "emil", "fatima", "gus", "hana", "ivan", "jules", "kofi", "lena", "mateo", "nora"];

    public static string H(string s) => WebUtility.HtmlEncode(s);

    public static string Js(string s) => JsonSerializer.Serialize(s);

    public static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Distinct words, in seeded order.</summary>
    public static List<string> Pick(SeededRandom r, int count, IReadOnlyList<string>? pool = null)
    {
        List<string> all = [.. pool ?? Words];
        r.Shuffle(all);
        return all.GetRange(0, count);
    }

    public static string Str(JsonElement state, string key) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
