using Microsoft.Playwright;

namespace Gym.Envs.Web.Browser;

/// <summary>
/// One Chromium driven by Playwright, launched from Debian's package (browsers cannot be downloaded here). Every
/// browser Gym starts carries <c>--gym-browser=ID</c> on its command line, so it can be found (and a leftover
/// swept). A browser that crashed or was killed reports <see cref="IsAlive"/> false and is replaced by its owner.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    private static readonly SemaphoreSlim DriverLock = new(1, 1);
    private static IPlaywright? _driver;
    private volatile bool _disconnected;

    private ChromiumBrowser(IBrowser browser, string tag)
    {
        Browser = browser;
        Tag = tag;
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
            // Root needs --no-sandbox; containers have a small /dev/shm; nothing may phone home.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-default-apps", "--mute-audio", $"--gym-browser={tag}"],
            Timeout = 30_000,
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ChromiumBrowser(browser, tag);
    }

    // One Playwright driver (a node process) serves every browser of the process.
    private static async Task<IPlaywright> DriverAsync(CancellationToken cancellationToken)
    {
        await DriverLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _driver ??= await Playwright.CreateAsync().ConfigureAwait(false);
        }
        finally
        {
            DriverLock.Release();
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
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
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
            // Already gone (crashed or killed), or hung: kill what is left of it.
            foreach (int pid in ProcessIds())
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                }
            }
        }
    }
}
