using System.Text.RegularExpressions;
using Gym.Core;
using Gym.Envs.Web.Sites.Widgets;
using Gym.Envs.Web.Tasks;

namespace Gym.Envs.Web;

/// <summary>
/// The scripted oracle of the web suites: it knows each task's solution as steps on elements named by role and
/// accessible name, and acts through the same action syntax as any agent, finding each element's id in the
/// current observation (so it needs the observation to be right, not just the site).
/// </summary>
public sealed partial class WebOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<SolutionStep> solution = WebTasks.Resolve(context.Task, context.Task.Seed) switch
        {
            WidgetTask w => w.Instance.Solution,
            _ => throw new InvalidOperationException($"The web oracle has no solution for task {context.Task.Id}."),
        };
        int done = context.History.Count(s => s.Info.ActionValid);
        if (done >= solution.Count)
            return ValueTask.FromResult(AgentTurn.FromText("noop(100)"));
        SolutionStep step = solution[done];
        string text = step.Action switch
        {
            "send_msg_to_user" or "report_infeasible" => $"{step.Action}({Quote(step.Argument!)})",
            "drag_and_drop" => $"drag_and_drop({Quote(Id(context, step.Role!, step.Name!))}, {Quote(Id(context, step.ToRole!, step.ToName!))})",
            _ when step.Argument is not null => $"{step.Action}({Quote(Id(context, step.Role!, step.Name!))}, {Quote(step.Argument)})",
            _ => $"{step.Action}({Quote(Id(context, step.Role!, step.Name!))})",
        };
        return ValueTask.FromResult(AgentTurn.FromText(text));
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    // The id of the element with this role and name in the current observation.
    private static string Id(AgentContext context, string role, string name) =>
        Find(context.Observation.Text, role, name) ?? throw new InvalidOperationException($"Task {context.Task.Id}: no {role} \"{name}\" with an id in the observation.");

    /// <summary>The id of the first element with <paramref name="role"/> and <paramref name="name"/> in an observation's tree, or null.</summary>
    public static string? Find(string observation, string role, string name)
    {
        ArgumentNullException.ThrowIfNull(observation);
        foreach (Match m in Line().Matches(observation))
            if (m.Groups[2].Value == role && Regex.Unescape(m.Groups[3].Value) == name)
                return m.Groups[1].Value;
        return null;
    }

    [GeneratedRegex(@"^\s*\[(\d+)\] (\S+) ""((?:[^""\\]|\\.)*)""", RegexOptions.Multiline)]
    private static partial Regex Line();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Registers the web environment and its oracle.</summary>
public static class WebEnvironments
{
    /// <summary>Adds web/browser-v1.</summary>
    public static Gym.Core.Registry.EnvRegistry AddWebEnvironments(this Gym.Core.Registry.EnvRegistry registry, Browser.WebOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new Gym.Core.Registry.EnvRegistration(WebEnvironment.EnvSpec, () => new WebEnvironment(options), () => new WebOracle()));
        return registry;
    }
}
