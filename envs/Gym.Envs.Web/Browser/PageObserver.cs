using System.Reflection;
using System.Text.Json;
using Microsoft.Playwright;

namespace Gym.Envs.Web.Browser;

/// <summary>What the observer read off a page.</summary>
/// <param name="Tree">The accessibility tree as text.</param>
/// <param name="Url">The page's URL.</param>
/// <param name="Title">Its title.</param>
/// <param name="Focused">The id of the focused element, if it has one.</param>
/// <param name="Marks">The boxes of the ids (viewport pixels), when asked for.</param>
public sealed record PageSnapshot(string Tree, string Url, string Title, string? Focused, IReadOnlyList<(string Id, double X, double Y, double W, double H)> Marks);

/// <summary>
/// Reads a page with <c>observe.js</c> (ids, accessibility tree), retrying while a navigation is in flight (the
/// script's context is destroyed under it) and giving up with <see cref="PageUnresponsiveException"/> when the page
/// does not answer in time (an endless script).
/// </summary>
public static class PageObserver
{
    private static readonly string Script = Load("observe.js");
    private static readonly string SettleScript = """
        (quiet) => new Promise(resolve => {
          let timer = setTimeout(done, quiet);
          const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
          observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
          function done() { observer.disconnect(); resolve(); }
        })
        """;

    internal static string Load(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Gym.Envs.Web.{name}")
            ?? throw new InvalidOperationException($"The resource {name} is missing from Gym.Envs.Web.");
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads the active tab.</summary>
    public static async Task<PageSnapshot> ObserveAsync(IPage page, WebOptions options, bool marks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(options);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                JsonElement result = await Bounded(page.EvaluateAsync<JsonElement>(Script, new { marks }), options.ActionTimeout, "reading the page", cancellationToken).ConfigureAwait(false);
                string title = await Bounded(page.TitleAsync(), options.ActionTimeout, "reading the title", cancellationToken).ConfigureAwait(false);
                List<(string, double, double, double, double)> boxes = [.. result.GetProperty("boxes").EnumerateArray().Select(b =>
                    (b.GetProperty("id").GetString()!, b.GetProperty("x").GetDouble(), b.GetProperty("y").GetDouble(), b.GetProperty("w").GetDouble(), b.GetProperty("h").GetDouble()))];
                JsonElement focused = result.GetProperty("focused");
                return new PageSnapshot(result.GetProperty("text").GetString()!, page.Url, title, focused.ValueKind == JsonValueKind.String ? focused.GetString() : null, boxes);
            }
            catch (PlaywrightException e) when (attempt < 5 && Transient(e))
            {
                // A navigation replaced the document under the script: read the new one once it has loaded.
                try
                {
                    await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new PageWaitForLoadStateOptions { Timeout = (float)options.ActionTimeout.TotalMilliseconds }).ConfigureAwait(false);
                }
                catch (Exception wait) when (wait is TimeoutException or PlaywrightException)
                {
                    options.Logger.LoadWaitFailed(page.Url, wait);
                }
            }
        }
    }

    /// <summary>Waits for the page to settle after an action: no requests in flight, then the DOM quiet period.</summary>
    public static async Task SettleAsync(WebSession session, WebOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        DateTime deadline = DateTime.UtcNow + options.SettleTimeout;
        while (session.InFlight > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        TimeSpan left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero || options.SettleQuiet <= TimeSpan.Zero)
            return;
        try
        {
            await Bounded(session.Active.EvaluateAsync(SettleScript, (int)options.SettleQuiet.TotalMilliseconds), left, "settling", cancellationToken).ConfigureAwait(false);
        }
        catch (PlaywrightException e) when (Transient(e))
        {
            // A navigation began: the observation waits for it.
            options.Logger.SettleEnded(session.Active.Url, "a navigation began", e);
        }
        catch (PageUnresponsiveException e)
        {
            // Still changing (an animation, a ticking clock) at the deadline: observe it as it is.
            options.Logger.SettleEnded(session.Active.Url, "still changing at the deadline", e);
        }
    }

    internal static bool Transient(PlaywrightException e) =>
        e.Message.Contains("Execution context was destroyed", StringComparison.Ordinal)
        || e.Message.Contains("Cannot find context", StringComparison.Ordinal)
        || e.Message.Contains("navigation", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("detached", StringComparison.OrdinalIgnoreCase);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>; past it the page counts as unresponsive.</summary>
    internal static async Task<T> Bounded<T>(Task<T> task, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw new PageUnresponsiveException($"The page did not answer within {timeout.TotalSeconds:0.#} s while {what} (a script that never ends, or endless dialogs).");
        }
    }

    internal static async Task Bounded(Task task, TimeSpan timeout, string what, CancellationToken cancellationToken) =>
        await Bounded(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
            timeout, what, cancellationToken).ConfigureAwait(false);
}
