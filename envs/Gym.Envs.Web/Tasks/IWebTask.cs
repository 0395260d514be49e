using System.Text.Json;
using Gym.Core;
using Gym.Envs.Web.Browser;
using Gym.Envs.Web.Sites;
using Gym.Envs.Web.Sites.Widgets;

namespace Gym.Envs.Web.Tasks;

/// <summary>What an episode is judged on after a step.</summary>
/// <param name="Done">Whether the task has ended.</param>
/// <param name="Success">Whether it was done right.</param>
/// <param name="Score">The reward of the ending, in [0, 1] (partial credit where the task gives it).</param>
public readonly record struct WebVerdict(bool Done, bool Success, double Score);

/// <summary>One episode's task on a site: where it starts, what the agent is asked, and how it is judged.</summary>
public interface IWebTask
{
    /// <summary>The goal the agent is given.</summary>
    string Goal { get; }

    /// <summary>The page the episode starts on: relative to the sites' base URL, or a full URL.</summary>
    string StartPath { get; }

    /// <summary>Origins (<c>http://host:port</c>) the episode may reach besides Gym's sites.</summary>
    IReadOnlyList<string> AllowedOrigins => [];

    /// <summary>After each ordinary step: the page's (or the server's) state judged.</summary>
    Task<WebVerdict> AfterStepAsync(WebSession session);

    /// <summary>The agent answered (send_msg_to_user) or reported the task infeasible; the episode ends.</summary>
    bool JudgeFinal(string action, string text);

    /// <summary>What the scripted oracle does next, read off the current observation (the same action syntax as any agent).</summary>
    string OracleAction(AgentContext context);
}

/// <summary>Resolves a task file's <c>config</c> into the task of one episode.</summary>
public static class WebTasks
{
    /// <summary>The task of <paramref name="task"/> with env seed <paramref name="seed"/>; errors name the task and field.</summary>
    public static IWebTask Resolve(TaskSpec task, long seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        WebConfig config = task.ConfigAs<WebConfig>();
        string site = config.Site ?? throw new InvalidDataException($"Task {task.Id}: config.site is missing (widgets, shop, booking, page).");
        return site switch
        {
            "widgets" => new WidgetTask(Widget(task, config.Widget ?? throw new InvalidDataException($"Task {task.Id}: config.widget is missing.")), seed),
            "shop" => new ShopTask(seed),
            "booking" => new BookingTask(seed),
            "page" => PageTask.Read(task, config),
            _ => throw new InvalidDataException($"Task {task.Id}: config.site '{site}' is not a site (widgets, shop, booking, page)."),
        };
    }

    private static IWidget Widget(TaskSpec task, string name)
    {
        try
        {
            return WidgetCatalog.Get(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Task {task.Id}: config.widget: {e.Message}");
        }
    }
}

/// <summary>A widget page: done when the page reports a submission (<c>gymSubmit</c>), judged on what it reported.</summary>
internal sealed class WidgetTask(IWidget widget, long seed) : IWebTask
{
    public WidgetInstance Instance { get; } = widget.Generate(seed);

    public string Goal => Instance.Goal;

    public string StartPath => $"widgets/{widget.Name}?seed={seed}";

    public async Task<WebVerdict> AfterStepAsync(WebSession session)
    {
        // The task's page is the first tab; its own state says whether (and what) the user submitted.
        Microsoft.Playwright.IPage page = session.Tabs.Count > 0 ? session.Tabs[0] : session.Active;
        JsonElement submitted = await page.EvaluateAsync<JsonElement>("() => window.__gymSubmitted ?? null").ConfigureAwait(false);
        if (submitted.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return new WebVerdict(false, false, 0);
        bool right = Instance.Judge(submitted);
        return new WebVerdict(true, right, right ? 1 : 0);
    }

    public bool JudgeFinal(string action, string text) => action == "report_infeasible"
        ? Instance.Infeasible
        : Instance.ExpectedAnswer is { } expected && text.Contains(expected, StringComparison.OrdinalIgnoreCase);

    public string OracleAction(AgentContext context) => SolutionSteps.NextAction(context, Instance.Solution);
}
