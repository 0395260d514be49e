using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Gym.Core;
using Gym.Core.Actions;
using Gym.Envs.Web.Actions;
using Gym.Envs.Web.Browser;
using Gym.Envs.Web.Sites;
using Gym.Envs.Web.Tasks;
using Microsoft.Playwright;

namespace Gym.Envs.Web;

/// <summary>
/// A web environment: one Chromium per environment (so per rollout worker), a fresh browser context per episode,
/// the task's page on Gym's own task sites. Observations are the goal, the URL, the tabs and the accessibility tree
/// with element ids; actions are <see cref="WebActionSet"/> calls. A browser that crashed makes the step throw (the
/// runner retries the episode on a fresh environment); a page that stops answering ends the episode, reported.
/// </summary>
public sealed class WebEnvironment(WebOptions? options = null) : EnvironmentBase
{
    /// <summary>The registered id.</summary>
    public const string Id = "web/browser-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "web",
        Description = "Web pages in Chromium (Playwright): accessibility-tree observations with element ids, BrowserGym-style actions, tasks on Gym's own sites.",
        ActionSyntax = WebActionSet.Describe(),
        MaxSteps = 30,
    };

    private readonly WebOptions _options = options ?? new WebOptions();
    private ChromiumBrowser? _browser;
    private WebSession? _session;
    private (ChromiumBrowser Browser, IReadOnlySet<string> Origins, Task<WebSession> Session)? _spare;
    private readonly List<Task> _closing = [];
    private IWebTask? _task;

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <summary>The browser of the current episode (tests kill it to check recovery).</summary>
    public ChromiumBrowser? Browser => _browser;

    /// <inheritdoc />
    protected override async ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken)
    {
        IWebTask webTask = WebTasks.Resolve(task, seed);
        TaskSiteServer sites = await TaskSiteServer.SharedAsync(cancellationToken).ConfigureAwait(false);
        // The last episode's context closes in the background (20 to 70 ms); the browser's own close waits for it.
        if (_session is not null)
            _closing.Add(_session.DisposeAsync().AsTask());
        _session = null;
        _closing.RemoveAll(t => t.IsCompleted);
        if (_browser is { IsAlive: false })
        {
            await _browser.DisposeAsync().ConfigureAwait(false);
            _browser = null;
        }
        _browser ??= await ChromiumBrowser.LaunchAsync(_options, cancellationToken).ConfigureAwait(false);
        HashSet<string> origins = new(StringComparer.OrdinalIgnoreCase) { sites.BaseUrl.GetLeftPart(UriPartial.Authority) };
        origins.UnionWith(webTask.AllowedOrigins);
        _session = await TakeSpareAsync(origins) ?? await WebSession.OpenAsync(_browser, _options, origins).ConfigureAwait(false);
        // The next episode's context is opened now, while the agent works, on a blank page of the sites: a new tab
        // and a new site's renderer take ~250 ms to start. It serves the next episode if that one reaches the same origins.
        _spare = (_browser, origins, WebSession.OpenAsync(_browser, _options, origins, new Uri(sites.BaseUrl, TaskSiteServer.BlankPath).ToString()));
        await _session.Active.GotoAsync(new Uri(sites.BaseUrl, webTask.StartPath).ToString(), new PageGotoOptions
        {
            Timeout = (float)_options.ActionTimeout.TotalMilliseconds, WaitUntil = WaitUntilState.DOMContentLoaded,
        }).ConfigureAwait(false);
        _task = webTask;
        await PageObserver.SettleAsync(_session, _options, cancellationToken).ConfigureAwait(false);
        return await ObserveAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken)
    {
        ThrowIfCrashed();
        WebSession session = _session!;
        IWebTask webTask = _task!;
        (CallAction? parsed, string? parseError) = WebActionParser.Parse(action, _options.LenientParsing);
        if (parsed is { Name: "send_msg_to_user" or "report_infeasible" })
        {
            bool right = webTask.JudgeFinal(parsed.Name, parsed.Text(parsed.Name == "send_msg_to_user" ? "text" : "reason"));
            return new StepResult(new Observation { Text = right ? "The task is done." : "That did not complete the task.", StateKey = "ended" }, right ? 1 : 0, true, false,
                new StepInfo { ParsedAction = parsed.ToString(), Success = right, Score = right ? 1 : 0 });
        }
        try
        {
            if (parsed is null)
                return await Invalid(parseError!, cancellationToken).ConfigureAwait(false);
            try
            {
                await ActionExecutor.RunAsync(session, parsed, _options, cancellationToken).ConfigureAwait(false);
            }
            catch (WebActionException e)
            {
                return await Invalid(e.Message, cancellationToken).ConfigureAwait(false);
            }
            await PageObserver.SettleAsync(session, _options, cancellationToken).ConfigureAwait(false);
            // Observed first: a navigation the action started has then landed, and the server has seen its request.
            Observation observation = await ObserveAsync(null, cancellationToken).ConfigureAwait(false);
            WebVerdict verdict = await PageObserver.Bounded(webTask.AfterStepAsync(session), _options.ActionTimeout, "judging the page", cancellationToken).ConfigureAwait(false);
            return new StepResult(observation, verdict.Done ? verdict.Score : 0, verdict.Done, false,
                new StepInfo { ParsedAction = parsed.ToString(), Success = verdict.Success, Score = verdict.Done ? verdict.Score : null });
        }
        catch (PageUnresponsiveException e)
        {
            // The page is stuck (an endless script, endless dialogs): close it and end the episode, reported.
            EndEpisode();
            await session.DisposeAsync().ConfigureAwait(false);
            _session = null;
            return new StepResult(new Observation { Text = e.Message, StateKey = "unresponsive" }, 0, false, true,
                new StepInfo { ParsedAction = parsed?.ToString(), ActionValid = parsed is not null, Error = e.Message, Extras = new Dictionary<string, object?> { ["page_unresponsive"] = true } });
        }
    }

    private async Task<StepResult> Invalid(string error, CancellationToken cancellationToken)
    {
        Observation observation = await ObserveAsync(error, cancellationToken).ConfigureAwait(false);
        return new StepResult(observation with { Feedback = error }, 0, false, false, StepInfo.Invalid(error));
    }

    private void ThrowIfCrashed()
    {
        if (_browser is { IsAlive: false } || _session?.Active.IsClosed == true && _session.Tabs.Count == 0)
            throw new PlaywrightException("The browser crashed or was killed during the episode.");
    }

    private async Task<Observation> ObserveAsync(string? lastError, CancellationToken cancellationToken)
    {
        ThrowIfCrashed();
        WebSession session = _session!;
        bool marks = _options.Screenshot && _options.SetOfMarks;
        PageSnapshot page = await PageObserver.ObserveAsync(session.Active, _options, marks, cancellationToken).ConfigureAwait(false);
        (IReadOnlyList<string> blocked, IReadOnlyList<string> dialogs) = session.TakeEvents();
        if (dialogs.Count > _options.MaxDialogsPerStep)
            throw new PageUnresponsiveException($"The page opened {dialogs.Count} dialogs in one step.");
        StringBuilder text = new();
        text.Append("Goal: ").AppendLine(_task!.Goal).AppendLine();
        text.Append("URL: ").AppendLine(page.Url);
        IReadOnlyList<IPage> tabs = session.Tabs;
        if (tabs.Count > 1)
        {
            text.Append("Tabs:");
            for (int i = 0; i < tabs.Count; i++)
                text.Append(" [").Append(i).Append("] ").Append(tabs[i] == session.Active ? $"\"{page.Title}\" (current)" : $"\"{tabs[i].Url}\"");
            text.AppendLine();
        }
        if (page.Focused is not null)
            text.Append("Focused: [").Append(page.Focused).AppendLine("]");
        if (lastError is not null)
            text.Append("Last action error: ").AppendLine(lastError);
        foreach (string url in blocked)
            text.Append("Blocked request (outside the task's sites): ").AppendLine(url);
        foreach (string dialog in dialogs)
            text.Append("Dialog dismissed: ").AppendLine(dialog);
        text.AppendLine().Append(page.Tree);
        List<ObservationImage> images = [];
        if (_options.Screenshot)
            images.Add(new ObservationImage("screenshot", "image/png", await Screenshots.TakeAsync(session.Active, marks ? page.Marks : [], _options).ConfigureAwait(false)));
        return new Observation { Text = text.ToString(), StateKey = StateKey(page), Images = images };
    }

    // The page's address (without the random port) and its tree (without the focus marker) identify the state.
    private static string StateKey(PageSnapshot page)
    {
        string where = Uri.TryCreate(page.Url, UriKind.Absolute, out Uri? uri) ? uri.PathAndQuery : page.Url;
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(where + "\n" + page.Tree.Replace(" focused", "", StringComparison.Ordinal)));
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    // The context opened ahead for this episode, if it is of the current browser, lets through the same origins
    // (null: any, when it is only to be closed) and opened cleanly.
    private async Task<WebSession?> TakeSpareAsync(IReadOnlySet<string>? origins)
    {
        if (_spare is not { } spare)
            return null;
        _spare = null;
        try
        {
            WebSession session = await spare.Session.ConfigureAwait(false);
            if (spare.Browser == _browser && _browser.IsAlive && (origins is null || spare.Origins.SetEquals(origins)))
                return session;
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException e)
        {
            // Its browser went away; a fresh context is opened instead.
            _options.Logger.SpareContextLost(e);
        }
        return null;
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeCoreAsync()
    {
        if (_spare is not null)
        {
            if (await TakeSpareAsync(null).ConfigureAwait(false) is { } spare)
                await spare.DisposeAsync().ConfigureAwait(false);
        }
        if (_session is not null)
            await _session.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_closing).ConfigureAwait(false);
        if (_browser is not null)
            await _browser.DisposeAsync().ConfigureAwait(false);
    }
}
