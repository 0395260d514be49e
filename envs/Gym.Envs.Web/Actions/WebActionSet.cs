using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Actions;

namespace Gym.Envs.Web.Actions;

/// <summary>
/// The web action set, in the style of BrowserGym's function calls: element actions take the id shown in
/// brackets in the observation (<c>[12] button "Add to cart"</c>), coordinate actions take pixels. It describes
/// itself as prompt text and as JSON tool schemas for agents that call tools natively.
/// </summary>
public static class WebActionSet
{
    private static CallParameter Id(string name = "bid") => new(name, CallParameterKind.Text, "the element's id, as shown in brackets");

    /// <summary>Every action.</summary>
    public static readonly IReadOnlyList<CallActionSpec> All =
    [
        new("click", "Click an element.", "click('12')", [Id(), new("button", CallParameterKind.Text, "left, middle or right", JsonValue.Create("left"))]),
        new("dblclick", "Double-click an element.", "dblclick('12')", [Id()]),
        new("hover", "Move the pointer over an element.", "hover('12')", [Id()]),
        new("fill", "Replace the text of a text box with the given text.", "fill('5', 'red shoes')", [Id(), new("value", CallParameterKind.Text, "the text")]),
        new("clear", "Empty a text box.", "clear('5')", [Id()]),
        new("select_option", "Choose an option (or several) of a list by its text.", "select_option('7', 'blue')", [Id(), new("options", CallParameterKind.TextOrList, "the option's text, or a list of them")]),
        new("check", "Tick a checkbox or radio button.", "check('9')", [Id()]),
        new("uncheck", "Untick a checkbox.", "uncheck('9')", [Id()]),
        new("press", "Focus an element and press a key or combination.", "press('5', 'Enter')", [Id(), new("key_comb", CallParameterKind.Text, "a key such as Enter, Tab, ArrowDown, or a combination such as Control+a")]),
        new("focus", "Focus an element.", "focus('5')", [Id()]),
        new("drag_and_drop", "Drag one element onto another.", "drag_and_drop('3', '8')", [Id("from_bid"), Id("to_bid")]),
        new("scroll", "Scroll the page by pixels.", "scroll(0, 300)", [new("delta_x", CallParameterKind.Number, "pixels to the right"), new("delta_y", CallParameterKind.Number, "pixels down")]),
        new("goto", "Open a URL (only the task's own site can be reached).", "goto('http://127.0.0.1:5000/shop')", [new("url", CallParameterKind.Text, "the address")]),
        new("go_back", "Go back in the tab's history.", "go_back()", []),
        new("go_forward", "Go forward in the tab's history.", "go_forward()", []),
        new("tab_focus", "Switch to an open tab by its index.", "tab_focus(1)", [new("index", CallParameterKind.Number, "the tab's index, from 0")]),
        new("tab_close", "Close the current tab.", "tab_close()", []),
        new("mouse_click", "Click at a point of the page, in pixels from its top left corner.", "mouse_click(120, 340)", [new("x", CallParameterKind.Number, "pixels from the left"), new("y", CallParameterKind.Number, "pixels from the top"), new("button", CallParameterKind.Text, "left, middle or right", JsonValue.Create("left"))]),
        new("keyboard_type", "Type text into whatever has the focus.", "keyboard_type('hello')", [new("text", CallParameterKind.Text, "the text")]),
        new("keyboard_press", "Press a key or combination on whatever has the focus.", "keyboard_press('Enter')", [new("key_comb", CallParameterKind.Text, "a key or combination")]),
        new("send_msg_to_user", "Answer the user; this ends the task.", "send_msg_to_user('The cheapest is $12.99')", [new("text", CallParameterKind.Text, "the answer")]),
        new("report_infeasible", "Say the task cannot be done, and why; this ends the task.", "report_infeasible('There is no such product')", [new("reason", CallParameterKind.Text, "why")]),
        new("noop", "Do nothing for a while (let the page settle).", "noop(500)", [new("wait_ms", CallParameterKind.Number, "milliseconds", JsonValue.Create(1000))]),
    ];

    /// <summary>The set: its description, tool schemas and parser.</summary>
    public static readonly CallActionSet Set = new(All,
        "Act with exactly one function call per turn, in the style of Python. Element ids are the numbers in brackets in the page.",
        "Write one call such as click('12') or fill('5', 'text').");

    /// <summary>The action named <paramref name="name"/>, or null.</summary>
    public static CallActionSpec? Find(string name) => Set.Find(name);

    /// <summary>The action set as prompt text: one line per action with an example.</summary>
    public static string Describe() => Set.Describe();

    /// <summary>The action set as JSON tool schemas, for agents that call tools natively.</summary>
    public static IReadOnlyList<ToolSpec> Tools => Set.Tools;
}
