using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gym.Envs.Gui.Desktop;

/// <summary>How GUI environments run their displays.</summary>
public sealed record GuiOptions
{
    /// <summary>Where the family logs what it recovers from (debug level); none by default.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The screen size when a task names none.</summary>
    public int ScreenWidth { get; init; } = 1280;

    /// <summary>The screen size when a task names none.</summary>
    public int ScreenHeight { get; init; } = 800;

    /// <summary>Screenshots are scaled down by this whole factor (1: full size); actions stay in screen pixels.</summary>
    public int ScreenshotScale { get; init; } = 1;

    /// <summary>How long one action, or a set-up step, may take.</summary>
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an application may take to show its window.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>After an action, how long the screen must stay unchanged to count as settled (at most <see cref="SettleLimit"/>).</summary>
    public TimeSpan SettleQuiet { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// After the set-up, how long the screen must stay unchanged before the first observation: an application
    /// may draw its window before it is done starting (a shell prompt, a file's contents).
    /// </summary>
    public TimeSpan ResetQuiet { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// After an action, how long to wait for the screen to change at all before settling: an action may change nothing,
    /// and the wait ends sooner once the display's processes are idle with the screen unchanged.
    /// </summary>
    public TimeSpan ReactWithin { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The longest settle wait after an action.</summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Whether observations carry the applications' accessibility trees (AT-SPI), for those that expose one.</summary>
    public bool AccessibilityTree { get; init; } = true;

    /// <summary>The longest an observation waits for the accessibility trees (an application that does not answer is left out).</summary>
    public TimeSpan AccessibilityTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where per-episode home directories are made.</summary>
    public string WorkRoot { get; init; } = Path.Combine(Path.GetTempPath(), "gym-gui");
}
