using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gym.Core;
using Gym.Core.Actions;
using Gym.Envs.Gui.Accessibility;
using Gym.Envs.Gui.Actions;
using Gym.Envs.Gui.Desktop;
using Gym.Envs.Gui.Tasks;
using Gym.Envs.Gui.X11;

namespace Gym.Envs.Gui;

/// <summary>
/// A desktop environment: one virtual X display per environment (so per rollout worker) with a window manager, a
/// fresh home directory and freshly launched applications per episode. Observations are a screenshot and the
/// window list; actions are <see cref="GuiActionSet"/> calls through XTEST; the episode is judged on the files the
/// applications left when the agent says done(). A dead X server makes the step throw (the runner retries the
/// episode on a fresh environment).
/// </summary>
public sealed class GuiEnvironment(GuiOptions? options = null) : EnvironmentBase
{
    /// <summary>The registered id.</summary>
    public const string Id = "gui/desktop-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "gui",
        Description = "Desktop applications on a virtual X display (Xvfb, openbox): screenshot and window-list observations, pointer and keyboard actions through XTEST, tasks judged on the files left behind.",
        ActionSyntax = GuiActionSet.Set.Describe(),
        MaxSteps = 30,
    };

    private static readonly Lazy<int> Swept = new(OwnedProcesses.SweepLeftovers);
    private readonly GuiOptions _options = options ?? new GuiOptions();
    private VirtualDisplay? _display;
    private readonly List<Process> _applications = [];
    private GuiTask? _task;
    private string? _home;

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <summary>The display of the current episode (tests kill its processes to check recovery).</summary>
    public VirtualDisplay? Display => _display;

    /// <summary>The current episode's home directory.</summary>
    public string? Home => _home;

    /// <inheritdoc />
    protected override async ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken)
    {
        _ = Swept.Value;
        GuiTask guiTask = GuiTask.Resolve(task, seed);
        int width = guiTask.Width > 0 ? guiTask.Width : _options.ScreenWidth, height = guiTask.Height > 0 ? guiTask.Height : _options.ScreenHeight;
        if (_display is { } d && (!d.IsAlive || d.X.Width != width || d.X.Height != height))
        {
            d.Dispose();
            _display = null;
        }
        _display ??= await VirtualDisplay.StartAsync(width, height, _options.LaunchTimeout, _options.AccessibilityTree, _options.AccessibilityTimeout, _options.Logger, cancellationToken).ConfigureAwait(false);
        _display.KillApplications();
        foreach (Process app in _applications)
            app.Dispose();
        _applications.Clear();
        // The window manager forgets the last episode's windows once their clients are gone.
        await VirtualDisplay.Until(() => _display.Windows().Count == 0, _options.LaunchTimeout, "the last episode's windows to close", cancellationToken).ConfigureAwait(false);
        _home = FreshHome(_display.Token);
        foreach (SetupStep step in guiTask.Setup)
        {
            if (step.Kind == "launch")
                FixTimes(_home);
            await RunSetupAsync(step, task.Id, cancellationToken).ConfigureAwait(false);
        }
        _task = guiTask;
        return await ObserveAsync(null, cancellationToken, _options.ResetQuiet).ConfigureAwait(false);
    }

    private string FreshHome(string token)
    {
        string home = Path.Combine(_options.WorkRoot, token, "home");
        if (Directory.Exists(home))
            Directory.Delete(home, recursive: true);
        foreach (string dir in new[] { home, Path.Combine(home, ".config"), Path.Combine(home, ".cache"), Path.Combine(home, ".local", "share") })
            Directory.CreateDirectory(dir);
        // The runtime directory must be private to its user (GLib refuses it otherwise); X displays are Linux's here.
        if (OperatingSystem.IsLinux())
            Directory.CreateDirectory(Path.Combine(home, ".run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // No blinking cursors, no animations: the same state looks the same whenever it is captured.
        string gtk3 = Path.Combine(home, ".config", "gtk-3.0");
        Directory.CreateDirectory(gtk3);
        File.WriteAllText(Path.Combine(gtk3, "settings.ini"), "[Settings]\ngtk-cursor-blink = false\ngtk-enable-animations = false\n");
        File.WriteAllText(Path.Combine(home, ".gtkrc-2.0"), "gtk-cursor-blink = 0\n");
        return home;
    }

    // Files made by the set-up get one fixed time, so listings that show dates read the same in every episode.
    private static void FixTimes(string home)
    {
        DateTime fixedTime = new(2026, 1, 5, 9, 30, 0, DateTimeKind.Local);
        foreach (string path in Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories).Where(p => !p.Contains("/.", StringComparison.Ordinal)))
        {
            if (File.Exists(path))
                File.SetLastWriteTime(path, fixedTime);
            else
                Directory.SetLastWriteTime(path, fixedTime);
        }
    }

    private async Task RunSetupAsync(SetupStep step, string taskId, CancellationToken cancellationToken)
    {
        string home = _home!;
        switch (step.Kind)
        {
            case "file":
                string file = Path.Combine(home, step.Path!);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, step.Text, cancellationToken).ConfigureAwait(false);
                break;
            case "dir":
                Directory.CreateDirectory(Path.Combine(home, step.Path!));
                break;
            case "run":
                using (Process p = _display!.Launch(step.Command[0], step.Command.Skip(1), home))
                {
                    using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    limit.CancelAfter(_options.LaunchTimeout);
                    try
                    {
                        await p.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        p.Kill(entireProcessTree: true);
                        throw new TimeoutException($"Task {taskId}: set-up command {step.Command[0]} took over {_options.LaunchTimeout.TotalSeconds:0.#} s.");
                    }
                    if (p.ExitCode != 0)
                        throw new InvalidOperationException($"Task {taskId}: set-up command {string.Join(' ', step.Command)} exited with {p.ExitCode}.");
                }
                break;
            case "launch":
                // Only a window that was not there before is the application's.
                HashSet<uint> before = [.. _display!.Windows().Select(w => w.Id)];
                Process app = _display.Launch(step.Command[0], step.Command.Skip(1), home);
                WindowInfo? window = null;
                await VirtualDisplay.Until(() => (window = _display.Windows().LastOrDefault(w => !before.Contains(w.Id) && Matches(w, step.Window!))) is not null || app.HasExited, _options.LaunchTimeout, $"{step.Command[0]} to show a window \"{step.Window}\"", cancellationToken).ConfigureAwait(false);
                if (window is null)
                    throw new InvalidOperationException($"Task {taskId}: {step.Command[0]} exited with {app.ExitCode} before showing a window \"{step.Window}\".");
                _applications.Add(app);
                await _display.FocusAsync(window.Id, _options.LaunchTimeout, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Whether <paramref name="window"/>'s title or application contains <paramref name="match"/> (any case).</summary>
    public static bool Matches(WindowInfo window, string match)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window.Title.Contains(match, StringComparison.OrdinalIgnoreCase) || window.Application.Contains(match, StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    protected override async ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken)
    {
        ThrowIfCrashed();
        VirtualDisplay display = _display!;
        GuiTask guiTask = _task!;
        (CallAction? parsed, string? error) = GuiActionSet.Set.Parse(action, lenient: false);
        if (parsed is { Name: "done" or "fail" })
        {
            EndEpisode();
            bool right;
            string why = "";
            if (parsed.Name == "fail")
            {
                right = guiTask.Evaluator.Infeasible;
                why = right ? "" : "the task could be done";
            }
            else
            {
                // What the agent last did may still be under way (a command in a terminal, a file being saved): the
                // screen and the display's processes settle first, as a person would look before saying done. A
                // shell woken by the typed line is runnable from the moment its echo could be drawn, so it counts.
                await ScreenCapture.SettleAsync(display.X, _options.SettleQuiet, _options.ActionTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                await OwnedProcesses.WaitIdleAsync(display.Token, _options.SettleQuiet, _options.ActionTimeout, cancellationToken).ConfigureAwait(false);
                right = !guiTask.Evaluator.Infeasible && guiTask.Evaluator.Judge(_home!, out why);
            }
            string text = right ? "The task is done." : $"That did not complete the task: {why}.";
            return new StepResult(new Observation { Text = text, StateKey = "ended" }, right ? 1 : 0, true, false,
                new StepInfo { ParsedAction = parsed.ToString(), Success = right, Score = right ? 1 : 0 });
        }
        if (parsed is null)
            return await Invalid(error!, cancellationToken).ConfigureAwait(false);
        byte[] before = ScreenCapture.Grab(display.X);
        try
        {
            Task run = GuiActionExecutor.RunAsync(display, parsed, _options.ScreenshotScale, cancellationToken);
            await run.WaitAsync(_options.ActionTimeout + (parsed.Name == "wait" ? TimeSpan.FromMilliseconds(parsed.Number("ms")) : TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        }
        catch (GuiActionException e)
        {
            return await Invalid(e.Message, cancellationToken).ConfigureAwait(false);
        }
        ThrowIfCrashed();
        // A frozen application still takes input (the X server queues it) but stops answering the window
        // manager's ping: the episode ends there, reported, rather than feeding actions to a dead window.
        if (display.Windows().FirstOrDefault(w => w.Focused) is { } focused && display.X.Ping(focused.Id, _options.ActionTimeout) == false)
        {
            EndEpisode();
            string frozen = $"\"{focused.Title}\" ({focused.Application}) did not answer within {_options.ActionTimeout.TotalSeconds:0.#} s.";
            return new StepResult(new Observation { Text = frozen, StateKey = "unresponsive" }, 0, false, true,
                new StepInfo { ParsedAction = parsed.ToString(), Error = frozen, Extras = new Dictionary<string, object?> { ["application_unresponsive"] = true } });
        }
        Observation observation = await ObserveAsync(null, cancellationToken, before: parsed.Name == "wait" ? null : before).ConfigureAwait(false);
        return new StepResult(observation, 0, false, false, new StepInfo { ParsedAction = parsed.ToString() });
    }

    // A dead X server, or an application killed by a signal (not one the agent closed), aborts the episode: the
    // runner retries it on a fresh environment.
    private void ThrowIfCrashed()
    {
        if (!_display!.IsAlive)
            throw new X11Exception("The X server or the window manager died during the episode.");
        foreach (Process app in _applications)
            if (app.HasExited && app.ExitCode >= 128)
                throw new InvalidOperationException($"An application of the episode was killed (exit {app.ExitCode}, signal {app.ExitCode - 128}).");
    }

    private async Task<StepResult> Invalid(string error, CancellationToken cancellationToken)
    {
        Observation observation = await ObserveAsync(error, cancellationToken).ConfigureAwait(false);
        return new StepResult(observation with { Feedback = error }, 0, false, false, StepInfo.Invalid(error));
    }

    private async Task<Observation> ObserveAsync(string? error, CancellationToken cancellationToken, TimeSpan? quiet = null, byte[]? before = null)
    {
        X11Connection x = _display!.X;
        TimeSpan q = quiet ?? _options.SettleQuiet;
        string token = _display.Token;
        byte[] pixels = await ScreenCapture.SettleAsync(x, q, q + _options.ReactWithin + _options.SettleLimit, before, _options.ReactWithin, () => OwnedProcesses.IsIdle(token), cancellationToken).ConfigureAwait(false);
        List<WindowInfo> windows = _display.Windows();
        int scale = _options.ScreenshotScale;
        StringBuilder text = new();
        text.Append("Goal: ").AppendLine(_task!.Goal).AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Screen: {x.Width / scale}x{x.Height / scale} pixels (the screenshot's; click at its coordinates)").AppendLine();
        text.AppendLine(windows.Count == 0 ? "Windows: none" : "Windows, front first:");
        StringBuilder key = new();
        for (int i = windows.Count - 1; i >= 0; i--)
        {
            WindowInfo w = windows[i];
            text.Append(CultureInfo.InvariantCulture, $"  \"{w.Title}\" ({w.Application}) at ({w.X / scale}, {w.Y / scale}) size {w.Width / scale}x{w.Height / scale}{(w.Focused ? ", focused" : "")}").AppendLine();
            key.Append(w.Application).Append('|').Append(w.Title).Append('|').Append(w.Focused).Append(';');
        }
        if (_display.Accessibility is { } tree)
        {
            (List<AccessibleElement> elements, bool complete) = tree.Read();
            text.AppendLine().AppendLine(elements.Count == 0 ? "Accessibility tree: none" : "Accessibility tree (showing elements, by window):");
            text.Append(AccessibilityTree.Format(elements, scale));
            if (!complete)
                text.AppendLine("  (incomplete: an application did not answer in time)");
        }
        if (error is not null)
            text.AppendLine().Append("Last action error: ").AppendLine(error);
        string stateKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Append(ScreenCapture.Fingerprint(pixels, x.Width, x.Height)).ToString())))[..16];
        byte[] png = Png.Encode(pixels, x.Width, x.Height, scale);
        return new Observation { Text = text.ToString().TrimEnd(), StateKey = stateKey, Images = [new ObservationImage("screenshot", "image/png", png)] };
    }

    /// <inheritdoc />
    protected override ValueTask DisposeCoreAsync()
    {
        string? token = _display?.Token;
        foreach (Process app in _applications)
            app.Dispose();
        _applications.Clear();
        _display?.Dispose();
        _display = null;
        if (token is not null && Directory.Exists(Path.Combine(_options.WorkRoot, token)))
            Directory.Delete(Path.Combine(_options.WorkRoot, token), recursive: true);
        return ValueTask.CompletedTask;
    }
}
