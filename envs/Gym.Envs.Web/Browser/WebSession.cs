using Gym.Envs.Web.Sites;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Gym.Envs.Web.Browser;

/// <summary>
/// One episode's browser context: its tabs (pop-ups become tabs), network isolation (only the allowed origins are
/// reached; every other request is aborted and remembered), dialogs (dismissed and remembered) and the requests
/// in flight (what a settle wait waits for).
/// </summary>
public sealed class WebSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly IReadOnlySet<string> _allowedOrigins;
    private readonly List<IPage> _tabs = [];
    private readonly List<string> _blocked = [];
    private readonly List<string> _dialogs = [];
    private readonly Lock _gate = new();
    private int _inFlight;

    private readonly ILogger _logger;

    private WebSession(IBrowserContext context, IReadOnlySet<string> allowedOrigins, ILogger logger)
    {
        _context = context;
        _allowedOrigins = allowedOrigins;
        _logger = logger;
    }

    /// <summary>The tab actions go to.</summary>
    public IPage Active { get; private set; } = null!;

    /// <summary>The open tabs, in the order they opened.</summary>
    public IReadOnlyList<IPage> Tabs
    {
        get
        {
            lock (_gate)
                return [.. _tabs];
        }
    }

    /// <summary>The episode's visitor id on Gym's sites (<see cref="SiteSession"/>): whose cart and booking the server keeps.</summary>
    public string SiteSessionId { get; } = SiteSession.NewId();

    /// <summary>Requests in flight in this context.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Opens a context with one tab; with <paramref name="warmUrl"/> the tab loads it, so that its renderer for that
    /// site is running when the episode's page is loaded (a new site's renderer takes ~150 ms to start).
    /// </summary>
    public static async Task<WebSession> OpenAsync(ChromiumBrowser browser, WebOptions options, IReadOnlySet<string> allowedOrigins, string? warmUrl = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(options);
        IBrowserContext context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = options.ViewportWidth, Height = options.ViewportHeight },
            ServiceWorkers = ServiceWorkerPolicy.Block,
            AcceptDownloads = false,
        }).ConfigureAwait(false);
        context.SetDefaultTimeout((float)options.ActionTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)options.ActionTimeout.TotalMilliseconds);
        WebSession session = new(context, allowedOrigins, options.Logger);
        // The episode's own state on the sites (a cart, a booking) follows this cookie, not the URL.
        await context.AddCookiesAsync([.. allowedOrigins.Select(o => new Cookie { Name = SiteSession.Cookie, Value = session.SiteSessionId, Url = o + "/" })]).ConfigureAwait(false);
        // Only requests outside the allowed origins are routed here: the driver matches the pattern, so the pages'
        // own requests never wait on a round trip to this process.
        string allowed = string.Join("|", allowedOrigins.Select(o => System.Text.RegularExpressions.Regex.Escape(o) + "/"));
        await context.RouteAsync(new System.Text.RegularExpressions.Regex($"^(?!(?:{allowed}|data:|blob:|about:))"), session.RouteAsync).ConfigureAwait(false);
        context.Page += (_, page) => session.Adopt(page);
        context.Request += (_, _) => Interlocked.Increment(ref session._inFlight);
        context.RequestFinished += (_, _) => Interlocked.Decrement(ref session._inFlight);
        context.RequestFailed += (_, _) => Interlocked.Decrement(ref session._inFlight);
        IPage first = await context.NewPageAsync().ConfigureAwait(false);
        session.Adopt(first);
        session.Active = first;
        if (warmUrl is not null)
            await first.GotoAsync(warmUrl, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded }).ConfigureAwait(false);
        return session;
    }

    /// <summary>Whether <paramref name="url"/> may be reached: the allowed origins, and data:, blob: and about: URLs.</summary>
    public bool Allows(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
            return false;
        if (uri.Scheme is "data" or "blob" or "about")
            return true;
        return _allowedOrigins.Contains(uri.GetLeftPart(UriPartial.Authority));
    }

    private async Task RouteAsync(IRoute route)
    {
        if (Allows(route.Request.Url))
        {
            await route.ContinueAsync().ConfigureAwait(false);
            return;
        }
        lock (_gate)
            _blocked.Add(route.Request.Url);
        await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
    }

    private void Adopt(IPage page)
    {
        lock (_gate)
        {
            if (_tabs.Contains(page))
                return;
            _tabs.Add(page);
        }
        page.Dialog += async (_, dialog) =>
        {
            lock (_gate)
                _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            try
            {
                await dialog.DismissAsync().ConfigureAwait(false);
            }
            catch (PlaywrightException e)
            {
                // The page went away with its dialog.
                _logger.DialogGone(e);
            }
        };
        page.Close += (_, p) =>
        {
            lock (_gate)
            {
                _tabs.Remove(p);
                if (Active == p && _tabs.Count > 0)
                    Active = _tabs[^1];
            }
        };
        // A pop-up takes the focus, as it would for a person.
        if (Active is not null)
            Active = page;
    }

    /// <summary>Makes tab <paramref name="index"/> the active one.</summary>
    public async Task FocusAsync(int index)
    {
        IReadOnlyList<IPage> tabs = Tabs;
        if (index < 0 || index >= tabs.Count)
            throw new WebActionException($"There is no tab {index}; the open tabs are 0 to {tabs.Count - 1}.");
        Active = tabs[index];
        await Active.BringToFrontAsync().ConfigureAwait(false);
    }

    /// <summary>The requests blocked and the dialogs dismissed since the last call.</summary>
    public (IReadOnlyList<string> Blocked, IReadOnlyList<string> Dialogs) TakeEvents()
    {
        lock (_gate)
        {
            (IReadOnlyList<string>, IReadOnlyList<string>) events = ([.. _blocked], [.. _dialogs]);
            _blocked.Clear();
            _dialogs.Clear();
            return events;
        }
    }

    /// <summary>Dialogs dismissed since the last <see cref="TakeEvents"/>.</summary>
    public int PendingDialogs
    {
        get
        {
            lock (_gate)
                return _dialogs.Count;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // The browser went first; the owner replaces it.
            _logger.ContextCloseFailed(e);
        }
    }
}
