using Gym.Core.Actions;
using Gym.Envs.Web.Actions;
using Microsoft.Playwright;

namespace Gym.Envs.Web.Browser;

/// <summary>
/// Carries out a parsed action on the session's active tab through Playwright. Elements are found by their
/// <c>data-gym-id</c> in every frame (Playwright's CSS pierces open shadow roots). Failures a person would see
/// (no such element, not editable, an address outside the task's sites) are <see cref="WebActionException"/>s.
/// </summary>
public static class ActionExecutor
{
    /// <summary>Runs <paramref name="action"/> (not send_msg_to_user or report_infeasible, which the environment handles).</summary>
    public static async Task RunAsync(WebSession session, CallAction action, WebOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(options);
        IPage page = session.Active;
        float timeout = (float)options.ActionTimeout.TotalMilliseconds;
        try
        {
            Task run = action.Name switch
            {
                "click" => ClickAsync(page, action.Text("bid"), Button(action.Text("button")), timeout),
                "dblclick" => (await Find(page, action.Text("bid"))).DblClickAsync(new LocatorDblClickOptions { Timeout = timeout }),
                "hover" => (await Find(page, action.Text("bid"))).HoverAsync(new LocatorHoverOptions { Timeout = timeout }),
                "fill" => (await Find(page, action.Text("bid"))).FillAsync(action.Text("value"), new LocatorFillOptions { Timeout = timeout }),
                "clear" => (await Find(page, action.Text("bid"))).ClearAsync(new LocatorClearOptions { Timeout = timeout }),
                "select_option" => SelectAsync(await Find(page, action.Text("bid")), action.Texts("options"), timeout),
                "check" => (await Find(page, action.Text("bid"))).CheckAsync(new LocatorCheckOptions { Timeout = timeout }),
                "uncheck" => (await Find(page, action.Text("bid"))).UncheckAsync(new LocatorUncheckOptions { Timeout = timeout }),
                "press" => (await Find(page, action.Text("bid"))).PressAsync(action.Text("key_comb"), new LocatorPressOptions { Timeout = timeout }),
                "focus" => (await Find(page, action.Text("bid"))).FocusAsync(new LocatorFocusOptions { Timeout = timeout }),
                "drag_and_drop" => (await Find(page, action.Text("from_bid"))).DragToAsync(await Find(page, action.Text("to_bid")), new LocatorDragToOptions { Timeout = timeout }),
                "scroll" => page.Mouse.WheelAsync((float)action.Number("delta_x"), (float)action.Number("delta_y")),
                "goto" => GotoAsync(session, page, action.Text("url"), timeout),
                "go_back" => page.GoBackAsync(new PageGoBackOptions { Timeout = timeout }),
                "go_forward" => page.GoForwardAsync(new PageGoForwardOptions { Timeout = timeout }),
                "tab_focus" => session.FocusAsync((int)action.Number("index")),
                "tab_close" => page.CloseAsync(),
                "mouse_click" => page.Mouse.ClickAsync((float)action.Number("x"), (float)action.Number("y"), new MouseClickOptions { Button = Button(action.Text("button")) }),
                "keyboard_type" => page.Keyboard.TypeAsync(action.Text("text")),
                "keyboard_press" => page.Keyboard.PressAsync(action.Text("key_comb")),
                "noop" => Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(action.Number("wait_ms"), 0, 10_000)), cancellationToken),
                _ => throw new WebActionException($"{action.Name} is not carried out on the page."),
            };
            await PageObserver.Bounded(run, options.ActionTimeout + TimeSpan.FromSeconds(1), action.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new WebActionException($"{action} did not complete: {FirstLine(e.Message)}");
        }
        catch (PlaywrightException e) when (!PageObserver.Transient(e) && page.IsClosed is false && !e.Message.Contains("Target crashed", StringComparison.Ordinal)
            && !e.Message.Contains("has been closed", StringComparison.Ordinal))
        {
            throw new WebActionException($"{action} failed: {FirstLine(e.Message)}");
        }
        catch (PlaywrightException e) when (PageObserver.Transient(e))
        {
            // The action started a navigation; the observation waits for the new page.
            options.Logger.NavigationDuringAction(page.Url, e);
        }
    }

    // Where a click on element [id] lands, in viewport pixels, when it can be clicked there as it is: in the main
    // document (or an open shadow root of it), with a size, enabled, on top at its centre, and not a link or submit
    // button (Playwright's click waits for the navigation those start). Else null, and Playwright's checks take over.
    private const string ClickPoint = """
        (id) => {
          const selector = `[data-gym-id="${id}"]`;
          const find = (root) => {
            const hit = root.querySelector(selector);
            if (hit) return hit;
            for (const host of root.querySelectorAll('*')) if (host.shadowRoot) { const e = find(host.shadowRoot); if (e) return e; }
            return null;
          };
          const e = find(document);
          if (!e || e.disabled) return null;
          if (e.closest('a[href]') || (e.form && ['submit', 'image'].includes(e.type))) return null;
          if (e.scrollIntoViewIfNeeded) e.scrollIntoViewIfNeeded(); else e.scrollIntoView({ block: 'center' });
          const r = e.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) return null;
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          const top = e.getRootNode().elementFromPoint(x, y);
          return top && (top === e || e.contains(top)) ? { x, y } : null;
        }
        """;

    // A real pointer click at the element's centre, found with one script in the page: the same trusted events as
    // Playwright's click, without its element handles (whose first use on a page injects ~50 ms of script) and its
    // waits over animation frames. Anything unusual gets Playwright's click.
    private static async Task ClickAsync(IPage page, string id, MouseButton button, float timeout)
    {
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new WebActionException($"'{id}' is not an element id; ids are the numbers in brackets, such as '12'.");
        System.Text.Json.JsonElement point = await page.EvaluateAsync<System.Text.Json.JsonElement>(ClickPoint, id).ConfigureAwait(false);
        if (point.ValueKind == System.Text.Json.JsonValueKind.Object)
            await page.Mouse.ClickAsync((float)point.GetProperty("x").GetDouble(), (float)point.GetProperty("y").GetDouble(), new MouseClickOptions { Button = button }).ConfigureAwait(false);
        else
            await (await Find(page, id).ConfigureAwait(false)).ClickAsync(new LocatorClickOptions { Button = button, Timeout = timeout }).ConfigureAwait(false);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static MouseButton Button(string name) => name switch
    {
        "left" => MouseButton.Left,
        "right" => MouseButton.Right,
        "middle" => MouseButton.Middle,
        _ => throw new WebActionException($"'{name}' is not a mouse button (left, middle, right)."),
    };

    private static async Task SelectAsync(ILocator select, string[] options, float timeout)
    {
        // By the option's text, as the observation shows it; values are a fallback.
        try
        {
            await select.SelectOptionAsync(options.Select(o => new SelectOptionValue { Label = o }), new LocatorSelectOptionOptions { Timeout = Math.Min(timeout, 1000) }).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await select.SelectOptionAsync(options, new LocatorSelectOptionOptions { Timeout = timeout }).ConfigureAwait(false);
        }
    }

    private static async Task GotoAsync(WebSession session, IPage page, string url, float timeout)
    {
        if (!session.Allows(url))
            throw new WebActionException($"'{url}' is outside this task's sites; only they can be reached.");
        await page.GotoAsync(url, new PageGotoOptions { Timeout = timeout, WaitUntil = WaitUntilState.DOMContentLoaded }).ConfigureAwait(false);
    }

    /// <summary>The element with id <paramref name="id"/>, in whichever frame holds it.</summary>
    public static async Task<ILocator> Find(IPage page, string id)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new WebActionException($"'{id}' is not an element id; ids are the numbers in brackets, such as '12'.");
        string selector = $"[data-gym-id='{id}']";
        foreach (IFrame frame in page.Frames)
        {
            ILocator locator = frame.Locator(selector);
            if (await locator.CountAsync().ConfigureAwait(false) > 0)
                return locator.First;
        }
        throw new WebActionException($"There is no element [{id}] on the page now.");
    }
}
