using Gym.Envs.Web.Sites.Widgets;

namespace Gym.Envs.Web.Tasks;

/// <summary>The task config of <c>web/browser-v1</c>.</summary>
public sealed record WebConfig
{
    /// <summary>The site the task runs on: <c>widgets</c>, <c>shop</c>, <c>booking</c>, or <c>page</c> (a task written in the file).</summary>
    public string? Site { get; init; }

    /// <summary>For <c>widgets</c>: the widget's name (the catalogue in <c>WidgetCatalog</c>).</summary>
    public string? Widget { get; init; }

    /// <summary>For <c>page</c>: the path on Gym's sites the episode starts at (each episode is its own visitor there).</summary>
    public string? Start { get; init; }

    /// <summary>For <c>page</c>: the goal shown to the agent; the task's instruction when absent.</summary>
    public string? Goal { get; init; }

    /// <summary>For <c>page</c>: the oracle's steps, each <c>{"action", "role", "name", "argument"}</c>.</summary>
    public IReadOnlyList<SolutionStep>? Solution { get; init; }
}
