using System.Diagnostics;
using Gym.Envs.Gui.Accessibility;
using Gym.Envs.Gui.X11;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Gui.Desktop;

/// <summary>A top-level application window as the window manager lists it.</summary>
/// <param name="Id">The X window id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Application">Its application (the WM_CLASS class, e.g. "XTerm", "Mousepad").</param>
/// <param name="X">Left edge on the screen.</param>
/// <param name="Y">Top edge on the screen.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Focused">Whether it is the active window.</param>
public sealed record WindowInfo(uint Id, string Title, string Application, int X, int Y, int Width, int Height, bool Focused)
{
    /// <summary>The window's centre on the screen.</summary>
    public (int X, int Y) Centre => (X + Width / 2, Y + Height / 2);
}

/// <summary>
/// One virtual X display: Xvfb (which picks a free display number itself, so parallel environments never race for
/// one) and a window manager (openbox), with Gym's X connection and keyboard. Applications started on it are owned
/// (<see cref="OwnedProcesses"/>) and killed with <see cref="KillApplications"/> and on dispose. With accessibility,
/// the display has its own AT-SPI bus (a dbus-daemon with AT-SPI's configuration, and the registry daemon) that
/// its applications' accessibility bridges join.
/// </summary>
public sealed class VirtualDisplay : IDisposable
{
    private readonly Process _xvfb;
    private readonly Process _windowManager;
    private readonly List<Process> _services = [];
    private string? _accessibilityBus;
    private bool _disposed;
    private readonly ILogger _logger;

    private VirtualDisplay(int number, string token, Process xvfb, Process windowManager, X11Connection x, ILogger logger)
    {
        _logger = logger;
        Number = number;
        Token = token;
        _xvfb = xvfb;
        _windowManager = windowManager;
        X = x;
        Keyboard = new Keyboard(x);
    }

    /// <summary>The applications' accessibility trees; null when the display was started without accessibility.</summary>
    public AccessibilityTree? Accessibility { get; private set; }

    /// <summary>The display number (<c>:N</c>).</summary>
    public int Number { get; }

    /// <summary>What this display's processes carry in <see cref="OwnedProcesses.TokenVariable"/>.</summary>
    public string Token { get; }

    /// <summary>Gym's connection to the X server.</summary>
    public X11Connection X { get; }

    /// <summary>Typing through XTEST.</summary>
    public Keyboard Keyboard { get; }

    /// <summary>The X server's process id (tests kill it).</summary>
    public int ServerPid => _xvfb.Id;

    /// <summary>Whether the X server and the window manager still run.</summary>
    public bool IsAlive => !_disposed && !_xvfb.HasExited && !_windowManager.HasExited;

    /// <summary>
    /// Starts Xvfb at <paramref name="width"/> x <paramref name="height"/> (24-bit) and openbox on it, and with
    /// <paramref name="accessibility"/> an AT-SPI bus whose trees are read within <paramref name="accessibilityTimeout"/>;
    /// what the display recovers from goes to <paramref name="logger"/>.
    /// </summary>
    public static async Task<VirtualDisplay> StartAsync(int width, int height, TimeSpan timeout, bool accessibility = false, TimeSpan accessibilityTimeout = default,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        string token = Guid.NewGuid().ToString("N")[..12];
        Process xvfb = Start("Xvfb", ["-displayfd", "1", "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp", "-noreset", "-ac", "-nocursor"], token, null, null, redirect: true);
        try
        {
            using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            string? line;
            try
            {
                line = await xvfb.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Xvfb did not report its display within {timeout.TotalSeconds:0.#} s.");
            }
            if (!int.TryParse(line, out int number))
            {
                string error = await xvfb.StandardError.ReadToEndAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
                throw new InvalidOperationException($"Xvfb failed to start: {error.Trim()}");
            }
            X11Connection x = X11Connection.Open(number, timeout);
            Process wm = Start("sh", ["-c", "exec openbox --sm-disable >/dev/null 2>&1"], token, number, null, redirect: false);
            VirtualDisplay display = new(number, token, xvfb, wm, x, logger ?? NullLogger.Instance);
            if (accessibility)
                await display.StartAccessibilityAsync(timeout, accessibilityTimeout, cancellationToken).ConfigureAwait(false);
            // The window manager is ready when it has claimed the screen (EWMH's supporting-check window).
            await Until(() => x.Property32(x.Root, "_NET_SUPPORTING_WM_CHECK").Length > 0, timeout, "openbox to manage the screen", cancellationToken).ConfigureAwait(false);
            return display;
        }
        catch
        {
            OwnedProcesses.KillDisplay(token);
            xvfb.Dispose();
            throw;
        }
    }

    private const string RegistryDaemon = "/usr/libexec/at-spi2-registryd";

    // The bus first (it prints its address once it listens), then the registry, which applications register with
    // as they start: it must own its name before the first one does, or the bus would try to start another.
    private async Task StartAccessibilityAsync(TimeSpan timeout, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(RegistryDaemon))
            throw new InvalidOperationException($"{RegistryDaemon} is missing; scripts/bootstrap installs the GUI packages (at-spi2-core, libatk-adaptor).");
        Process bus = Start("sh", ["-c", "exec dbus-daemon --config-file=/usr/share/defaults/at-spi2/accessibility.conf --nofork --print-address=1 --address=unix:tmpdir=/tmp 2>/dev/null"], Token, Number, null, redirect: true);
        _services.Add(bus);
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        string? address = await bus.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false);
        if (string.IsNullOrEmpty(address))
            throw new InvalidOperationException("The accessibility bus (dbus-daemon) did not start.");
        _accessibilityBus = address;
        _services.Add(Start("sh", ["-c", $"exec {RegistryDaemon} >/dev/null 2>&1"], Token, Number, null, redirect: false, address));
        using DBusConnection probe = DBusConnection.Open(address, timeout);
        await Until(() => probe.Call(new DBusCall("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", "org.a11y.atspi.Registry"), timeout) is { Ok: true } r && (bool)r.Body[0],
            timeout, "the AT-SPI registry daemon to start", cancellationToken).ConfigureAwait(false);
        Accessibility = new AccessibilityTree(address, readTimeout, _logger);
    }

    /// <summary>
    /// Starts an application on the display with <paramref name="home"/> as its home and working directory. Where
    /// the system allows a private mount namespace, the application sees <paramref name="home"/> at the fixed path
    /// <see cref="HomeMount"/>: window titles and location bars then read the same in every environment, so
    /// the same task and seed give the same screen.
    /// </summary>
    public Process Launch(string file, IEnumerable<string> arguments, string home)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Through sh, so that the application's chatter goes to a log beside its home rather than into Gym's output.
        string log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(home).TrimEnd('/'))!, "applications.log");
        if (!HomeMountWorks.Value)
            return Start("sh", ["-c", "cd \"$1\" && log=\"$2\" && shift 2 && exec \"$@\" >>\"$log\" 2>&1", "gym-launch", home, log, file, .. arguments], Token, Number, home, redirect: false, _accessibilityBus);
        return Start("unshare", ["-m", "--propagation", "private", "sh", "-c", "mount --bind \"$1\" \"$2\" && cd \"$2\" && log=\"$3\" && shift 3 && exec \"$@\" >>\"$log\" 2>&1", "gym-launch", home, HomeMount, log, file, .. arguments], Token, Number, HomeMount, redirect: false, _accessibilityBus);
    }

    /// <summary>Where applications see their episode's home (with a private mount namespace).</summary>
    public const string HomeMount = "/tmp/gym-gui/home";

    private static readonly Lazy<bool> HomeMountWorks = new(() =>
    {
        try
        {
            Directory.CreateDirectory(HomeMount);
            using Process probe = Process.Start(new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "sh", "-c", $"mount --bind /tmp \"{HomeMount}\""]) { RedirectStandardError = true, UseShellExecute = false })!;
            return probe.WaitForExit(5000) && probe.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    });

    /// <summary>Kills every application of this display (not the X server, the window manager or the accessibility bus).</summary>
    public void KillApplications() => OwnedProcesses.KillDisplay(Token, [_xvfb.Id, _windowManager.Id, .. _services.Select(s => s.Id)]);

    /// <summary>The managed top-level windows, bottom to top, with which one is active.</summary>
    public List<WindowInfo> Windows()
    {
        uint active = X.Property32(X.Root, "_NET_ACTIVE_WINDOW").FirstOrDefault();
        List<WindowInfo> windows = [];
        foreach (uint id in X.Property32(X.Root, "_NET_CLIENT_LIST_STACKING"))
        {
            try
            {
                string title = X.PropertyText(id, "_NET_WM_NAME") ?? X.PropertyText(id, "WM_NAME") ?? "";
                string[] wmClass = (X.PropertyText(id, "WM_CLASS") ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries);
                (int x, int y, int w, int h) = X.Geometry(id);
                windows.Add(new WindowInfo(id, title, wmClass.Length > 1 ? wmClass[1] : wmClass.FirstOrDefault() ?? "", x, y, w, h, id == active));
            }
            catch (X11Exception e)
            {
                _logger.WindowClosedWhileRead(id, e);
            }
        }
        return windows;
    }

    /// <summary>Asks the window manager to raise and focus <paramref name="window"/>, and waits until it is active.</summary>
    public async Task FocusAsync(uint window, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        X.SendClientMessage(window, "_NET_ACTIVE_WINDOW", 2, 0, 0);
        await Until(() => X.Property32(X.Root, "_NET_ACTIVE_WINDOW").FirstOrDefault() == window, timeout, $"window 0x{window:x} to take the focus", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds; a timeout names <paramref name="what"/>.</summary>
    public static async Task Until(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Stopwatch clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.");
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Process Start(string file, IEnumerable<string> arguments, string token, int? display, string? home, bool redirect, string? accessibilityBus = null)
    {
        ProcessStartInfo info = new(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            RedirectStandardInput = false,
            WorkingDirectory = home ?? Path.GetTempPath(),
        };
        foreach (string a in arguments)
            info.ArgumentList.Add(a);
        info.Environment[OwnedProcesses.TokenVariable] = token;
        info.Environment[OwnedProcesses.OwnerVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (display is { } n)
            info.Environment["DISPLAY"] = $":{n}";
        if (home is not null)
        {
            info.Environment["HOME"] = home;
            info.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            info.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
            info.Environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
            info.Environment["XDG_RUNTIME_DIR"] = Path.Combine(home, ".run");
        }
        // No session bus: applications must not start (and leak) one of their own. Their accessibility bridges join
        // the display's AT-SPI bus where there is one (GTK 2 loads its bridge as a module), and stay off otherwise.
        info.Environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:";
        if (accessibilityBus is null)
        {
            info.Environment["NO_AT_BRIDGE"] = "1";
            info.Environment["GTK_A11Y"] = "none";
        }
        else
        {
            info.Environment.Remove("NO_AT_BRIDGE"); // either, inherited from Gym's own environment, would turn the bridge off
            info.Environment.Remove("GTK_A11Y");
            info.Environment["AT_SPI_BUS_ADDRESS"] = accessibilityBus;
            info.Environment["GTK2_MODULES"] = "gail:atk-bridge";
        }
        info.Environment["LANG"] = "C.UTF-8";
        info.Environment["LC_ALL"] = "C.UTF-8";
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {file} ({e.Message}); scripts/bootstrap installs the GUI packages (xvfb, openbox and the applications).", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Accessibility?.Dispose();
        X.Dispose();
        OwnedProcesses.KillDisplay(Token);
        _xvfb.Dispose();
        _windowManager.Dispose();
        foreach (Process service in _services)
            service.Dispose();
    }
}
