using System.Collections;
using Gym.Core.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Gym.Envs.Web.Browser;

/// <summary>
/// One Chromium driven by Playwright, launched from Debian's package (browsers cannot be downloaded here). Every
/// browser Gym starts carries <c>--gym-browser=ID</c> on its command line, so it can be found (and a leftover
/// swept), and <c>GYM_BROWSER=ID</c> in its environment, which its helpers inherit: closing it ends them all.
/// A browser that crashed or was killed reports <see cref="IsAlive"/> false and is replaced by its owner.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    /// <summary>The environment variable that marks a browser's processes.</summary>
    public const string MarkVariable = "GYM_BROWSER";

    private static readonly SemaphoreSlim DriverLock = new(1, 1);
    private static IPlaywright? _driver;
    private volatile bool _disconnected;

    private readonly ILogger _logger;

    private ChromiumBrowser(IBrowser browser, string tag, ILogger logger)
    {
        Browser = browser;
        Tag = tag;
        _logger = logger;
        browser.Disconnected += (_, _) => _disconnected = true;
    }

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>The id on its command line (<c>--gym-browser=ID</c>).</summary>
    public string Tag { get; }

    /// <summary>Whether it is still connected.</summary>
    public bool IsAlive => !_disconnected && Browser.IsConnected;

    /// <summary>Launches a browser.</summary>
    public static async Task<ChromiumBrowser> LaunchAsync(WebOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.ChromiumPath))
            throw new FileNotFoundException($"Chromium is not at {options.ChromiumPath}: install Debian's chromium package (scripts/bootstrap does) or set GYM_CHROMIUM.", options.ChromiumPath);
        IPlaywright driver = await DriverAsync(cancellationToken).ConfigureAwait(false);
        string tag = Guid.NewGuid().ToString("N")[..12];
        IBrowser browser = await driver.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.ChromiumPath,
            Headless = options.Headless,
            // Root needs --no-sandbox; containers have a small /dev/shm; nothing may phone home. The crash handler
            // leaves the browser's process tree (and would outlive it): the mark in the environment finds it.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-default-apps", "--mute-audio", $"--gym-browser={tag}"],
            Env = MarkedEnvironment(tag),
            Timeout = 30_000,
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ChromiumBrowser(browser, tag, options.Logger);
    }

    // Playwright's Env replaces the browser's environment: this process's, plus the mark.
    private static Dictionary<string, string> MarkedEnvironment(string tag)
    {
        Dictionary<string, string> env = [];
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        env[MarkVariable] = tag;
        return env;
    }

    // One Playwright driver (a node process) serves every browser of the process; it is ended, and waited for, as
    // the process exits, so that nothing of it outlives the command.
    private static async Task<IPlaywright> DriverAsync(CancellationToken cancellationToken)
    {
        await DriverLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_driver is null)
            {
                IPlaywright driver = _driver = await Playwright.CreateAsync().ConfigureAwait(false);
                List<int> processes = [.. DriverProcesses()];
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    driver.Dispose(); // closes its pipe: the driver exits
                    if (!MarkedProcesses.WaitExited(processes, TimeSpan.FromSeconds(5)))
                        MarkedProcesses.Kill(processes);
                };
            }
            return _driver;
        }
        finally
        {
            DriverLock.Release();
        }
    }

    // The Playwright driver this process started (its child running "cli.js run-driver"; there is one).
    private static IEnumerable<int> DriverProcesses()
    {
        string self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || MarkedProcesses.Stat(Path.Combine(dir, "stat")) is not [_, var parent, ..] || parent != self)
                continue;
            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (cmdline.Contains("run-driver", StringComparison.Ordinal))
                yield return pid;
        }
    }

    /// <summary>The process ids of the browsers this process started (main processes only).</summary>
    public IReadOnlyList<int> ProcessIds() => FindProcesses($"--gym-browser={Tag}");

    /// <summary>
    /// The main processes of Chromiums started by Gym (carrying <paramref name="marker"/>), of any process, or only
    /// those descended from process <paramref name="ancestor"/> (this one's, say, when several run side by side).
    /// </summary>
    public static IReadOnlyList<int> FindProcesses(string marker = "--gym-browser=", int? ancestor = null)
    {
        List<int> pids = [];
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                // The browser's main process only: its helpers (renderers, GPU) carry --type=.
                if (cmdline.Contains(marker, StringComparison.Ordinal) && !cmdline.Contains("--type=", StringComparison.Ordinal)
                    && (ancestor is null || DescendsFrom(pid, ancestor.Value)))
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended between the listing and the read (or is not ours to read): not one to find.
            }
        }
        return pids;
    }

    // Walks the parent chain in /proc (the fourth field of stat is the parent's id).
    private static bool DescendsFrom(int pid, int ancestor)
    {
        for (int depth = 0; pid > 1 && depth < 64; depth++)
        {
            if (pid == ancestor)
                return true;
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            pid = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return pid == ancestor;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // Already gone (crashed or killed), or hung: what is left of it is killed below.
            _logger.BrowserCloseFailed(Tag, e);
        }
        // Its helpers (zygotes, renderers) exit after the main process: wait for them, kill what stays.
        await MarkedProcesses.EndAsync(MarkVariable, Tag, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }
}
