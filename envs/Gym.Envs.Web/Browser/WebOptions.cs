using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gym.Envs.Web.Browser;

/// <summary>How web environments drive the browser; defaults are documented on each property.</summary>
public sealed record WebOptions
{
    /// <summary>Where the family logs what it recovers from (debug level); none by default.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Chromium's executable (default: GYM_CHROMIUM, else Debian's /usr/lib/chromium/chromium, else /usr/bin/chromium).</summary>
    public string ChromiumPath { get; init; } = DefaultChromium();

    /// <summary>Run without a window (default true).</summary>
    public bool Headless { get; init; } = true;

    /// <summary>The viewport (default 1280 x 720).</summary>
    public int ViewportWidth { get; init; } = 1280;

    /// <summary>The viewport's height.</summary>
    public int ViewportHeight { get; init; } = 720;

    /// <summary>How long one action (and one observation) may take before it is abandoned (default 5 s).</summary>
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After an action, wait until the page has no requests in flight and, when this is above zero, until its DOM
    /// has not changed for this long (default 0: no quiet period), but never longer than <see cref="SettleTimeout"/>.
    /// </summary>
    public TimeSpan SettleQuiet { get; init; } = TimeSpan.Zero;

    /// <summary>The longest a settle wait lasts (default 2 s).</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Attach a PNG screenshot to each observation (default false).</summary>
    public bool Screenshot { get; init; }

    /// <summary>Draw the element ids on the screenshot (set-of-marks; default false).</summary>
    public bool SetOfMarks { get; init; }

    /// <summary>Accept an action call with prose around it (default false: the action is exactly one call).</summary>
    public bool LenientParsing { get; init; }

    /// <summary>Dialogs (alert, confirm, prompt) dismissed in one step before the page counts as misbehaving (default 20).</summary>
    public int MaxDialogsPerStep { get; init; } = 20;

    private static string DefaultChromium()
    {
        if (Environment.GetEnvironmentVariable("GYM_CHROMIUM") is { Length: > 0 } path)
            return path;
        // Debian's /usr/bin/chromium is a shell wrapper; the binary itself starts faster and is the process to watch.
        return File.Exists("/usr/lib/chromium/chromium") ? "/usr/lib/chromium/chromium" : "/usr/bin/chromium";
    }
}
