using System.Globalization;
using System.Text.RegularExpressions;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Envs.Gui.Accessibility;
using Gym.Envs.Gui.Desktop;
using Gym.Envs.Gui.Tasks;

namespace Gym.Envs.Gui;

/// <summary>
/// The scripted oracle of the GUI suites: plays the task's solution through the same action syntax as any agent,
/// finding windows (and points inside them) from the window list of the observation and elements from its
/// accessibility tree, and waiting while a step's window has not yet taken the focus or its element not yet shown.
/// </summary>
public sealed partial class GuiOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(AgentTurn.FromText(NextAction(context, GuiTask.Resolve(context.Task, context.Task.Seed))));
    }

    private sealed class Progress
    {
        public int Next;
        public int Waits;
    }

    /// <summary>
    /// The solution's next action given what the observation shows. A step that waits for a window or an element
    /// waits half a second, then does the step before it again (a key the application missed under load), as a
    /// person would.
    /// </summary>
    public static string NextAction(AgentContext context, GuiTask task)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(task);
        // Where the episode is in its solution, kept in the episode's own context.
        if (context.AgentState is not Progress progress)
            context.AgentState = progress = new Progress();
        if (progress.Next >= task.Solution.Count)
            return "done()";
        SolutionStep step = task.Solution[progress.Next];
        List<WindowInfo> windows = Windows(context.Observation.Text);
        AccessibleElement? element = step.Element is null ? null : AccessibilityTree.Parse(context.Observation.Text).FirstOrDefault(e => e.Role == step.Element && e.Name == step.Name);
        if ((step.When is not null && !windows.Any(w => w.Focused && GuiEnvironment.Matches(w, step.When))) || (step.Element is not null && element is null))
        {
            if (++progress.Waits <= 5 || progress.Next == 0)
                return "wait(100)";
            progress.Waits = 0;
            return Render(task.Solution[progress.Next - 1], windows, context);
        }
        progress.Waits = 0;
        progress.Next++;
        if (element is not null)
            return string.Create(CultureInfo.InvariantCulture, $"{step.Do}({element.Centre.X}, {element.Centre.Y})");
        return Render(step, windows, context);
    }

    private static string Render(SolutionStep step, List<WindowInfo> windows, AgentContext context)
    {
        if (step.At is null)
            return step.Do;
        WindowInfo target = windows.FirstOrDefault(w => GuiEnvironment.Matches(w, step.At))
            ?? throw new InvalidOperationException($"Task {context.Task.Id}: no window \"{step.At}\" in the observation.");
        int x = target.X + (int)(target.Width * step.AtX), y = target.Y + (int)(target.Height * step.AtY);
        return string.Create(CultureInfo.InvariantCulture, $"{step.Do}({x}, {y})");
    }

    /// <summary>The windows listed in an observation's text, front first.</summary>
    public static List<WindowInfo> Windows(string observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        List<WindowInfo> windows = [];
        foreach (Match m in WindowLine().Matches(observation))
        {
            int N(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            windows.Add(new WindowInfo(0, m.Groups[1].Value, m.Groups[2].Value, N(3), N(4), N(5), N(6), m.Groups[7].Success));
        }
        return windows;
    }

    [GeneratedRegex(@"^  ""(.*)"" \((.*)\) at \((-?\d+), (-?\d+)\) size (\d+)x(\d+)(, focused)?\r?$", RegexOptions.Multiline)]
    private static partial Regex WindowLine();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Registers the GUI environment and its oracle.</summary>
public static class GuiEnvironments
{
    /// <summary>Adds gui/desktop-v1.</summary>
    public static EnvRegistry AddGuiEnvironments(this EnvRegistry registry, GuiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new EnvRegistration(GuiEnvironment.EnvSpec, () => new GuiEnvironment(options), () => new GuiOracle()));
        return registry;
    }
}
