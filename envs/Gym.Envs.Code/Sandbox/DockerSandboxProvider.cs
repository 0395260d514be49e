using System.Globalization;
using System.Threading.Channels;
using Docker.DotNet.Models;
using Gym.Docker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Code.Sandbox;

/// <summary>
/// Hardened containers from a warm pool: <see cref="PoolSize"/> are created and started ahead of need, each
/// sandbox is used by one episode and then removed (reset by replacement). Containers carry the labels
/// <c>gym.sandbox</c>, <c>gym.run</c> and <c>gym.owner-pid</c>; at start-up, those of owners no longer alive are swept.
/// </summary>
public sealed class DockerSandboxProvider : ISandboxProvider
{
    /// <summary>The label every Gym sandbox container carries.</summary>
    public const string SandboxLabel = "gym.sandbox";

    private readonly DockerClient _docker;
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _live = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly List<Task> _background = [];
    private int _warming;
    private readonly ILogger _logger;

    private DockerSandboxProvider(DockerClient docker, string image, int uid, SandboxLimits limits, string runId, int poolSize, ILogger logger)
    {
        _docker = docker;
        _logger = logger;
        Image = image;
        Uid = uid;
        Limits = limits;
        RunId = runId;
        PoolSize = poolSize;
    }

    /// <summary>The image tag.</summary>
    public string Image { get; }
    /// <summary>The unprivileged user commands run as.</summary>
    public int Uid { get; }
    /// <summary>The limits of every sandbox.</summary>
    public SandboxLimits Limits { get; }
    /// <summary>The run the containers are labelled with.</summary>
    public string RunId { get; }
    /// <summary>Containers kept started ahead of need.</summary>
    public int PoolSize { get; }

    /// <inheritdoc />
    public string Kind => "docker";

    /// <inheritdoc />
    public string Description => $"docker ({Image}; no network, user {Uid}, read-only root, tmpfs /work, no capabilities, no-new-privileges, " +
        $"{Limits.MemoryBytes >> 20} MiB, {Limits.Cpus} CPU, {Limits.Pids} processes, files up to {Limits.FileSizeBytes >> 20} MiB)";

    /// <summary>Sweeps orphans of earlier runs and starts warming the pool; what it recovers from goes to <paramref name="logger"/>.</summary>
    public static async Task<DockerSandboxProvider> StartAsync(DockerClient docker, string image, int uid = 1000, SandboxLimits? limits = null, string? runId = null,
        int poolSize = 2, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docker);
        // Fails with the daemon's not-found when the image was never built.
        await docker.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        DockerSandboxProvider provider = new(docker, image, uid, limits ?? new SandboxLimits(), runId ?? $"run-{Guid.NewGuid():N}"[..16], Math.Max(0, poolSize),
            logger ?? NullLogger.Instance);
        await SweepOrphansAsync(docker, logger, cancellationToken).ConfigureAwait(false);
        provider.TopUp();
        return provider;
    }

    /// <summary>Removes sandbox containers whose owning process is gone; returns how many.</summary>
    public static async Task<int> SweepOrphansAsync(DockerClient docker, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docker);
        int removed = 0;
        foreach (ContainerListResponse c in await docker.ListContainersAsync(SandboxLabel, cancellationToken).ConfigureAwait(false))
        {
            string? owner = c.Labels is { } labels && labels.TryGetValue("gym.owner-pid", out string? value) ? value : null;
            if (owner is not null && int.TryParse(owner, CultureInfo.InvariantCulture, out int pid) && IsAlive(pid))
                continue;
            try
            {
                await docker.RemoveContainerAsync(c.ID, force: true, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (DockerNotFoundException)
            {
                (logger ?? NullLogger.Instance).AlreadyGone(c.ID);
            }
        }
        return removed;
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <inheritdoc />
    public async Task<ISandbox> AcquireAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
        string id = _ready.Reader.TryRead(out string? warm) ? warm : await CreateAsync(cancellationToken).ConfigureAwait(false);
        TopUp();
        return new DockerSandbox(_docker, id, Limits, Uid, ReleaseAsync, _logger);
    }

    /// <summary>The spec every sandbox container is created from.</summary>
    public CreateContainerParameters Spec() => new()
    {
        Image = Image,
        // PID 1 (docker-init, reaping orphans) and its sleeper run as root without capabilities, out of reach
        // of the user's kill -1; commands run as the user through exec.
        Cmd = ["sleep", "infinity"],
        User = "0:0",
        WorkingDir = "/work",
        NetworkDisabled = true,
        Labels = new Dictionary<string, string>
        {
            [SandboxLabel] = "1",
            ["gym.run"] = RunId,
            ["gym.owner-pid"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        },
        HostConfig = new HostConfig
        {
            NetworkMode = "none",
            ReadonlyRootfs = true,
            Tmpfs = new Dictionary<string, string>
            {
                ["/work"] = $"rw,nosuid,nodev,size={Limits.WorkDirBytes},uid={Uid},gid={Uid},mode=0700",
                ["/tmp"] = "rw,nosuid,nodev,noexec,size=16m,mode=1777",
            },
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges"],
            Memory = Limits.MemoryBytes,
            MemorySwap = Limits.MemoryBytes,
            NanoCPUs = (long)(Limits.Cpus * 1e9),
            PidsLimit = Limits.Pids,
            Ulimits = [Ulimit("fsize", Limits.FileSizeBytes), Ulimit("nofile", 256), Ulimit("core", 0)],
            Init = true,
        },
    };

    private static Ulimit Ulimit(string name, long limit) => new() { Name = name, Soft = limit, Hard = limit };

    private async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        string id = await _docker.CreateContainerAsync(Spec(), cancellationToken).ConfigureAwait(false);
        lock (_lock)
            _live.Add(id);
        try
        {
            await _docker.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync(id).ConfigureAwait(false);
            throw;
        }
        return id;
    }

    // Keeps PoolSize containers warming or ready, in the background.
    private void TopUp()
    {
        lock (_lock)
        {
            int missing = PoolSize - _ready.Reader.Count - _warming;
            for (int i = 0; i < missing && !_closing.IsCancellationRequested; i++)
            {
                _warming++;
                _background.Add(Task.Run(async () =>
                {
                    try
                    {
                        string id = await CreateAsync(_closing.Token).ConfigureAwait(false);
                        if (!_ready.Writer.TryWrite(id))
                            await ReleaseAsync(id).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is DockerException or OperationCanceledException or DockerUnavailableException)
                    {
                        // Acquire creates on demand when the pool is empty; its error is the one reported.
                        _logger.WarmingFailed(e);
                    }
                    finally
                    {
                        lock (_lock)
                            _warming--;
                    }
                }));
            }
            _background.RemoveAll(t => t.IsCompleted);
        }
    }

    private async Task ReleaseAsync(string id)
    {
        try
        {
            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
            await _docker.RemoveContainerAsync(id, force: true, timeout.Token).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            _logger.AlreadyGone(id);
        }
        catch (Exception e) when (e is DockerException or OperationCanceledException or DockerUnavailableException)
        {
            // Left for the next start-up sweep (its owner-pid label will be dead by then).
            _logger.RemoveFailed(id, e);
        }
        lock (_lock)
            _live.Remove(id);
    }

    /// <summary>Stops warming and removes every container this provider made.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
            return;
        _closing.Cancel();
        Task[] pending;
        lock (_lock)
            pending = [.. _background];
        await Task.WhenAll(pending).ConfigureAwait(false);
        _ready.Writer.TryComplete();
        string[] live;
        lock (_lock)
            live = [.. _live];
        await Task.WhenAll(live.Select(ReleaseAsync)).ConfigureAwait(false);
        _closing.Dispose();
    }
}
