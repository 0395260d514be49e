using Gym.Envs.Web.Sites.Widgets;

namespace Gym.Envs.Web.Tasks;

/// <summary>The task config of <c>web/browser-v1</c>.</summary>
public sealed record WebConfig
{
    /// <summary>The site the task runs on: <c>widgets</c>, <c>shop</c>, <c>booking</c>, or <c>page</c> (a task written in the file).</summary>
    public string? Site { get; init; }

    /// <summary>For <c>widgets</c>: the widget's name (the catalogue in <c>WidgetCatalog</c>).</summary>
    public string? Widget { get; init; }

    /// <summary>
    /// For <c>page</c>: where the episode starts: a path on Gym's sites (each episode is its own visitor there), a path
    /// in <see cref="Static"/>, or a full <c>http(s)://</c> URL (a user's own server, added to the allowed hosts).
    /// </summary>
    public string? Start { get; init; }

    /// <summary>For <c>page</c>: a folder of pages (relative to the suite file) that Gym serves; <see cref="Start"/> is then a path in it (default index.html).</summary>
    public string? Static { get; init; }

    /// <summary>
    /// Hosts the episode may reach besides Gym's sites (<c>127.0.0.1:8080</c>, <c>https://example.org</c>); every other
    /// request stays blocked and is reported in the observation.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>For <c>page</c>: the goal shown to the agent; the task's instruction when absent.</summary>
    public string? Goal { get; init; }

    /// <summary>For <c>page</c>: the oracle's steps, each <c>{"action", "role", "name", "argument"}</c>.</summary>
    public IReadOnlyList<SolutionStep>? Solution { get; init; }
}
