using System.Text.Json.Nodes;

namespace Gym.Envs.Gui.Tasks;

/// <summary>The task config of <c>gui/desktop-v1</c>: a generated task (<see cref="Kind"/>) or one written out in full.</summary>
public sealed record GuiConfig
{
    /// <summary>A task kind generated from the seed (<c>GuiTaskKinds</c>); the other keys are then produced by it.</summary>
    public string? Kind { get; init; }

    /// <summary>The goal shown to the agent; the task's instruction when absent.</summary>
    public string? Goal { get; init; }

    /// <summary>The screen as [width, height], 320x240 to 4096x4096; the environment's default when absent.</summary>
    public IReadOnlyList<int>? Screen { get; init; }

    /// <summary>What is done before the agent's first look: <c>{"file", "text"}</c>, <c>{"dir"}</c>, <c>{"run": [...]}</c>, <c>{"launch": [...], "window"}</c>.</summary>
    public JsonArray? Setup { get; init; }

    /// <summary>How the end state is judged (<c>Evaluator</c>); required.</summary>
    public JsonObject? Evaluator { get; init; }

    /// <summary>The oracle's steps: action strings, or <c>{"do", "at", "point", "when", "element", "name"}</c>.</summary>
    public JsonArray? Solution { get; init; }
}
