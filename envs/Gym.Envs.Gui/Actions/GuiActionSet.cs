using System.Text.Json.Nodes;
using Gym.Core.Actions;

namespace Gym.Envs.Gui.Actions;

/// <summary>
/// The GUI action set, in the spirit of OSWorld's: pointer actions at screenshot coordinates (pixels from the top
/// left of the screenshot the agent was shown), keyboard actions on whatever has the focus, and the two endings.
/// </summary>
public static class GuiActionSet
{
    private static CallParameter X(string name = "x") => new(name, CallParameterKind.Number, "pixels from the left of the screenshot");

    private static CallParameter Y(string name = "y") => new(name, CallParameterKind.Number, "pixels from the top of the screenshot");

    /// <summary>Every action.</summary>
    public static readonly IReadOnlyList<CallActionSpec> All =
    [
        new("click", "Left-click at a point.", "click(640, 400)", [X(), Y()]),
        new("double_click", "Double-click at a point.", "double_click(640, 400)", [X(), Y()]),
        new("right_click", "Right-click at a point.", "right_click(640, 400)", [X(), Y()]),
        new("move", "Move the pointer to a point.", "move(640, 400)", [X(), Y()]),
        new("drag", "Press the left button at one point, move to another, release.", "drag(100, 200, 400, 200)", [X("x1"), Y("y1"), X("x2"), Y("y2")]),
        new("scroll", "Turn the wheel at a point: dy wheel steps, positive down, negative up.", "scroll(640, 400, 3)", [X(), Y(), new("dy", CallParameterKind.Number, "wheel steps, positive down")]),
        new("type", "Type text on the keyboard (\\n is Enter).", "type('hello world')", [new("text", CallParameterKind.Text, "the text")]),
        new("key", "Press a key or a chord, or several separated by spaces (ctrl, shift, alt, super, enter, tab, escape, backspace, delete, home, end, up, down, left, right, pageup, pagedown, f1 to f12, or a character).", "key('ctrl+s')", [new("keys", CallParameterKind.Text, "e.g. 'ctrl+s', 'enter', 'ctrl+a delete'")]),
        new("wait", "Wait, letting the applications work.", "wait(500)", [new("ms", CallParameterKind.Number, "milliseconds, at most 5000", JsonValue.Create(500))]),
        new("done", "Say the task is complete; this ends the episode.", "done()", []),
        new("fail", "Say the task cannot be done; this ends the episode.", "fail()", []),
    ];

    /// <summary>The set: its description, tool schemas and parser.</summary>
    public static readonly CallActionSet Set = new(All,
        "Act with exactly one function call per turn, in the style of Python. Coordinates are pixels of the screenshot.",
        "Write one call such as click(640, 400), type('text') or key('ctrl+s').");
}
