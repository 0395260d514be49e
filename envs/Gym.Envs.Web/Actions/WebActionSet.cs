using System.Text;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Web.Actions;

/// <summary>The kind of an action parameter.</summary>
public enum WebParameterKind
{
    /// <summary>A string (an element id, text, a URL, a key).</summary>
    Text,

    /// <summary>A number (pixels, milliseconds, an index).</summary>
    Number,

    /// <summary>A string or a list of strings (the options to select).</summary>
    TextOrList,
}

/// <summary>One parameter of a web action.</summary>
/// <param name="Name">Its name, as a keyword argument.</param>
/// <param name="Kind">What it takes.</param>
/// <param name="Description">What it means.</param>
/// <param name="Default">Its value when left out; null makes it required.</param>
public sealed record WebParameter(string Name, WebParameterKind Kind, string Description, JsonNode? Default = null)
{
    /// <summary>Whether it must be given.</summary>
    public bool Required => Default is null;
}

/// <summary>One action of the set: its name, parameters and what it does.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Description">What it does.</param>
/// <param name="Example">A call as an agent writes it.</param>
/// <param name="Parameters">Its parameters, in positional order.</param>
public sealed record WebActionSpec(string Name, string Description, string Example, IReadOnlyList<WebParameter> Parameters);

/// <summary>
/// The web action set, in the style of BrowserGym's function calls: element actions take the id shown in
/// brackets in the observation (<c>[12] button "Add to cart"</c>), coordinate actions take pixels. It describes
/// itself as prompt text and as JSON tool schemas for agents that call tools natively.
/// </summary>
public static class WebActionSet
{
    private static WebParameter Id(string name = "bid") => new(name, WebParameterKind.Text, "the element's id, as shown in brackets");

    /// <summary>Every action.</summary>
    public static readonly IReadOnlyList<WebActionSpec> All =
    [
        new("click", "Click an element.", "click('12')", [Id(), new("button", WebParameterKind.Text, "left, middle or right", JsonValue.Create("left"))]),
        new("dblclick", "Double-click an element.", "dblclick('12')", [Id()]),
        new("hover", "Move the pointer over an element.", "hover('12')", [Id()]),
        new("fill", "Replace the text of a text box with the given text.", "fill('5', 'red shoes')", [Id(), new("value", WebParameterKind.Text, "the text")]),
        new("clear", "Empty a text box.", "clear('5')", [Id()]),
        new("select_option", "Choose an option (or several) of a list by its text.", "select_option('7', 'blue')", [Id(), new("options", WebParameterKind.TextOrList, "the option's text, or a list of them")]),
        new("check", "Tick a checkbox or radio button.", "check('9')", [Id()]),
        new("uncheck", "Untick a checkbox.", "uncheck('9')", [Id()]),
        new("press", "Focus an element and press a key or combination.", "press('5', 'Enter')", [Id(), new("key_comb", WebParameterKind.Text, "a key such as Enter, Tab, ArrowDown, or a combination such as Control+a")]),
        new("focus", "Focus an element.", "focus('5')", [Id()]),
        new("drag_and_drop", "Drag one element onto another.", "drag_and_drop('3', '8')", [Id("from_bid"), Id("to_bid")]),
        new("scroll", "Scroll the page by pixels.", "scroll(0, 300)", [new("delta_x", WebParameterKind.Number, "pixels to the right"), new("delta_y", WebParameterKind.Number, "pixels down")]),
        new("goto", "Open a URL (only the task's own site can be reached).", "goto('http://127.0.0.1:5000/shop')", [new("url", WebParameterKind.Text, "the address")]),
        new("go_back", "Go back in the tab's history.", "go_back()", []),
        new("go_forward", "Go forward in the tab's history.", "go_forward()", []),
        new("tab_focus", "Switch to an open tab by its index.", "tab_focus(1)", [new("index", WebParameterKind.Number, "the tab's index, from 0")]),
        new("tab_close", "Close the current tab.", "tab_close()", []),
        new("mouse_click", "Click at a point of the page, in pixels from its top left corner.", "mouse_click(120, 340)", [new("x", WebParameterKind.Number, "pixels from the left"), new("y", WebParameterKind.Number, "pixels from the top"), new("button", WebParameterKind.Text, "left, middle or right", JsonValue.Create("left"))]),
        new("keyboard_type", "Type text into whatever has the focus.", "keyboard_type('hello')", [new("text", WebParameterKind.Text, "the text")]),
        new("keyboard_press", "Press a key or combination on whatever has the focus.", "keyboard_press('Enter')", [new("key_comb", WebParameterKind.Text, "a key or combination")]),
        new("send_msg_to_user", "Answer the user; this ends the task.", "send_msg_to_user('The cheapest is $12.99')", [new("text", WebParameterKind.Text, "the answer")]),
        new("report_infeasible", "Say the task cannot be done, and why; this ends the task.", "report_infeasible('There is no such product')", [new("reason", WebParameterKind.Text, "why")]),
        new("noop", "Do nothing for a while (let the page settle).", "noop(500)", [new("wait_ms", WebParameterKind.Number, "milliseconds", JsonValue.Create(1000))]),
    ];

    private static readonly Dictionary<string, WebActionSpec> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>The action named <paramref name="name"/>, or null.</summary>
    public static WebActionSpec? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The action set as prompt text: one line per action with an example.</summary>
    public static string Describe()
    {
        StringBuilder sb = new("Act with exactly one function call per turn, in the style of Python. Element ids are the numbers in brackets in the page.\n");
        foreach (WebActionSpec a in All)
            sb.Append(a.Example).Append(": ").AppendLine(a.Description);
        return sb.ToString().TrimEnd();
    }

    /// <summary>The action set as JSON tool schemas, for agents that call tools natively.</summary>
    public static IReadOnlyList<ToolSpec> Tools { get; } = [.. All.Select(a => new ToolSpec(a.Name, a.Description, Schema(a)))];

    private static string Schema(WebActionSpec a)
    {
        JsonObject properties = [];
        foreach (WebParameter p in a.Parameters)
        {
            JsonObject type = p.Kind switch
            {
                WebParameterKind.Number => new JsonObject { ["type"] = "number" },
                WebParameterKind.TextOrList => new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }) },
                _ => new JsonObject { ["type"] = "string" },
            };
            type["description"] = p.Description;
            if (p.Default is not null)
                type["default"] = p.Default.DeepClone();
            properties[p.Name] = type;
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. a.Parameters.Where(p => p.Required).Select(p => (JsonNode)JsonValue.Create(p.Name))]),
            ["additionalProperties"] = false,
        }.ToJsonString();
    }
}
